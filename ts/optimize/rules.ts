/**
 * A small typed builder of declarative trading rules for native sweeps: prices, numbers, grid
 * parameters, indicators of the registry, arithmetic, comparisons and logic. A rule is a value
 * per bar; it is true where non-zero (NaN is false).
 *
 * ```ts
 * const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
 * const entry = cross.gt(0);   // 'fast' and 'slow' are grid parameters
 * const exit = cross.lt(0);
 * ```
 */
import { ParamError } from '../errors.js';

/** A price column of the data. */
export type PriceField = 'open' | 'high' | 'low' | 'close' | 'volume';

/** A number in a rule: a constant, or (as a string) the name of a grid parameter. */
export type NumberArg = number | string;

/** @internal the node forms the native sweep understands. */
export type ExprNode =
  | { kind: 'price'; field: PriceField }
  | { kind: 'number'; arg: NumberArg }
  | { kind: 'indicator'; name: string; inputs: Expr[]; params: Record<string, NumberArg>; line?: string }
  | { kind: 'arith'; op: 'add' | 'sub' | 'mul' | 'div'; inputs: [Expr, Expr] }
  | { kind: 'compare'; op: 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne'; inputs: [Expr, Expr] }
  | { kind: 'and' | 'or'; inputs: [Expr, Expr] }
  | { kind: 'not'; inputs: [Expr] };

/** An operand: an expression, a price field, or a constant number. */
export type Operand = Expr | PriceField | number;

const FIELDS: readonly string[] = ['open', 'high', 'low', 'close', 'volume'];

/** A value per bar. Build with {@link rules}; combine with the methods below. */
export class Expr {
  /** @internal */
  constructor(readonly node: ExprNode) {}

  /** 1 where this is greater than `other`, else 0. */
  gt(other: Operand): Expr { return compare('gt', this, other); }
  /** 1 where this is at least `other`. */
  ge(other: Operand): Expr { return compare('ge', this, other); }
  /** 1 where this is less than `other`. */
  lt(other: Operand): Expr { return compare('lt', this, other); }
  /** 1 where this is at most `other`. */
  le(other: Operand): Expr { return compare('le', this, other); }
  /** 1 where this equals `other`. */
  eq(other: Operand): Expr { return compare('eq', this, other); }
  /** 1 where this differs from `other` (both not NaN). */
  ne(other: Operand): Expr { return compare('ne', this, other); }
  /** This plus `other`. */
  add(other: Operand): Expr { return arith('add', this, other); }
  /** This minus `other`. */
  sub(other: Operand): Expr { return arith('sub', this, other); }
  /** This times `other`. */
  mul(other: Operand): Expr { return arith('mul', this, other); }
  /** This divided by `other`. */
  div(other: Operand): Expr { return arith('div', this, other); }
  /** True where both are true. */
  and(other: Operand): Expr { return new Expr({ kind: 'and', inputs: [this, operand(other)] }); }
  /** True where either is true. */
  or(other: Operand): Expr { return new Expr({ kind: 'or', inputs: [this, operand(other)] }); }
  /** True where this is false. */
  not(): Expr { return new Expr({ kind: 'not', inputs: [this] }); }
}

function operand(x: Operand): Expr {
  if (x instanceof Expr) return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new ParamError(`a rule operand must be a finite number, got ${x}`);
    return new Expr({ kind: 'number', arg: x });
  }
  if (typeof x === 'string' && FIELDS.includes(x)) return new Expr({ kind: 'price', field: x as PriceField });
  throw new ParamError(
    `a rule operand must be an expression, a price field (${FIELDS.join(', ')}) or a number, got ${JSON.stringify(x)}; use rules.param('${String(x)}') for a grid parameter`,
  );
}

function numberArg(x: NumberArg, what: string): NumberArg {
  if ((typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && x.length > 0)) return x;
  throw new ParamError(`${what} must be a finite number or the name of a grid parameter, got ${String(x)}`);
}

function compare(op: 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne', a: Operand, b: Operand): Expr {
  return new Expr({ kind: 'compare', op, inputs: [operand(a), operand(b)] });
}

function arith(op: 'add' | 'sub' | 'mul' | 'div', a: Operand, b: Operand): Expr {
  return new Expr({ kind: 'arith', op, inputs: [operand(a), operand(b)] });
}

/** An indicator over one input with a `period` parameter. */
function periodic(name: string) {
  return (input: Operand, period: NumberArg): Expr => ind(name, [input], { period });
}

/**
 * Any indicator of the registry (see `ta.list()`), by name or alias, over `inputs`, with
 * parameters by name (numbers or grid parameter names); `line` picks an output line by name.
 */
function ind(name: string, inputs: Operand[], params: Record<string, NumberArg> = {}, line?: string): Expr {
  const checked: Record<string, NumberArg> = {};
  for (const [k, v] of Object.entries(params)) checked[k] = numberArg(v, `${name}: parameter '${k}'`);
  return new Expr({ kind: 'indicator', name, inputs: inputs.map(operand), params: checked, ...(line ? { line } : {}) });
}

/** Builders of rule expressions. */
export const rules = {
  /** A price column. */
  price: (field: PriceField): Expr => operand(field),
  /** A constant number. */
  number: (value: number): Expr => operand(value),
  /** The value of a grid parameter in each combination. */
  param: (name: string): Expr => new Expr({ kind: 'number', arg: numberArg(name, 'param') }),
  ind,
  /** Simple moving average. */
  sma: periodic('SMA'),
  /** Exponential moving average. */
  ema: periodic('EMA'),
  /** Weighted moving average. */
  wma: periodic('WMA'),
  /** Relative strength index. */
  rsi: periodic('RSI'),
  /** Rate of change. */
  roc: periodic('ROC'),
  /** Highest value over `period` bars. */
  highest: periodic('Highest'),
  /** Lowest value over `period` bars. */
  lowest: periodic('Lowest'),
  /** Average true range (over the data's high, low and close). */
  atr: (period: NumberArg): Expr => ind('ATR', ['high', 'low', 'close'], { period }),
  /** backtrader's CrossOver: +1 where `a` crosses above `b`, -1 where below, else 0. */
  crossOver: (a: Operand, b: Operand): Expr => ind('CrossOver', [a, b]),
  gt: (a: Operand, b: Operand): Expr => compare('gt', a, b),
  ge: (a: Operand, b: Operand): Expr => compare('ge', a, b),
  lt: (a: Operand, b: Operand): Expr => compare('lt', a, b),
  le: (a: Operand, b: Operand): Expr => compare('le', a, b),
  eq: (a: Operand, b: Operand): Expr => compare('eq', a, b),
  ne: (a: Operand, b: Operand): Expr => compare('ne', a, b),
  add: (a: Operand, b: Operand): Expr => arith('add', a, b),
  sub: (a: Operand, b: Operand): Expr => arith('sub', a, b),
  mul: (a: Operand, b: Operand): Expr => arith('mul', a, b),
  div: (a: Operand, b: Operand): Expr => arith('div', a, b),
  and: (a: Operand, b: Operand): Expr => operand(a).and(b),
  or: (a: Operand, b: Operand): Expr => operand(a).or(b),
  not: (a: Operand): Expr => operand(a).not(),
};

/** The native form of one node (see crates/node/src/sweep.rs). @internal */
export interface NativeNode {
  kind: string;
  field?: string;
  arg?: NativeArg;
  name?: string;
  params?: { name: string; arg: NativeArg }[];
  line?: string;
  op?: string;
  inputs: number[];
}

/** @internal */
export interface NativeArg {
  value?: number;
  param?: string;
}

/** @internal a number or a grid parameter name, as the addon takes it. */
export function nativeArg(x: NumberArg): NativeArg {
  return typeof x === 'number' ? { value: x } : { param: x };
}

/**
 * Flattens expressions into the addon's node list (children first; a shared subexpression
 * appears once). Returns the index of each root. @internal
 */
export function flatten(roots: Expr[]): { nodes: NativeNode[]; roots: number[] } {
  const nodes: NativeNode[] = [];
  const seen = new Map<Expr, number>();
  const visit = (e: Expr): number => {
    const known = seen.get(e);
    if (known !== undefined) return known;
    if (!(e instanceof Expr)) throw new ParamError(`a rule must be built with rules.*, got ${JSON.stringify(e)}`);
    const n = e.node;
    const inputs = 'inputs' in n ? n.inputs.map(visit) : [];
    let out: NativeNode;
    switch (n.kind) {
      case 'price': out = { kind: 'price', field: n.field, inputs }; break;
      case 'number': out = { kind: 'number', arg: nativeArg(n.arg), inputs }; break;
      case 'indicator':
        out = {
          kind: 'indicator', name: n.name, inputs, line: n.line,
          params: Object.entries(n.params).map(([name, v]) => ({ name, arg: nativeArg(v) })),
        };
        break;
      case 'arith': case 'compare': out = { kind: n.kind, op: n.op, inputs }; break;
      default: out = { kind: n.kind, inputs };
    }
    nodes.push(out);
    seen.set(e, nodes.length - 1);
    return nodes.length - 1;
  };
  return { nodes, roots: roots.map(visit) };
}
