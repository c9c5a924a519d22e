/**
 * The store backends the shared tests run against, each in a database (or schema) of its own,
 * created for the test and dropped after it: SQLite in a temporary file, PostgreSQL and MariaDB
 * on loopback (.ci/run starts them), InfluxDB 1.x on loopback (scripts/start-influxdb.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';

export const PG_URL = process.env.FERROTRADE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.FERROTRADE_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const INFLUX_URL = process.env.FERROTRADE_INFLUX_URL ?? 'influx://127.0.0.1:8086';

export interface TestDatabase {
  /** The store URL of the fresh database. */
  url: string;
  /** Drops it. */
  drop(): Promise<void>;
}

export interface TestBackend {
  name: 'sqlite' | 'postgres' | 'mysql' | 'influx';
  create(): Promise<TestDatabase>;
}

const unique = () => `ft_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

export const sqliteBackend: TestBackend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-store-'));
    return { url: `sqlite:${join(dir, 'store.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresBackend: TestBackend = {
  name: 'postgres',
  async create() {
    const schema = unique();
    return {
      url: `${PG_URL}?schema=${schema}`,
      async drop() {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  },
};

export const mysqlBackend: TestBackend = {
  name: 'mysql',
  async create() {
    const db = unique();
    const admin = () => mysql.createConnection({ uri: MYSQL_URL });
    const conn = await admin();
    await conn.query(`CREATE DATABASE \`${db}\``);
    await conn.end();
    return {
      url: MYSQL_URL.replace(/\/[^/]*$/, `/${db}`),
      async drop() {
        const c = await admin();
        await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
        await c.end();
      },
    };
  },
};

export const influxBackend: TestBackend = {
  name: 'influx',
  async create() {
    const db = unique();
    const http = INFLUX_URL.replace(/^influx:/, 'http:');
    return {
      url: `${INFLUX_URL}/${db}`,
      async drop() {
        await fetch(`${http}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${db}"` }) });
      },
    };
  },
};

export const BACKENDS: TestBackend[] = [sqliteBackend, postgresBackend, mysqlBackend, influxBackend];
export const SQL_BACKENDS: TestBackend[] = [sqliteBackend, postgresBackend, mysqlBackend];
