import { ParamError } from '../errors.js';

/** Parameters of a class: a plain object of defaults. */
export type ParamDefaults = Record<string, unknown>;

/** The static `params` of a class and of its ancestors, subclass values winning. */
export function collectParamDefaults(cls: { params?: ParamDefaults } & object): ParamDefaults {
  const chain: ParamDefaults[] = [];
  for (let c: unknown = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (Object.prototype.hasOwnProperty.call(c, 'params')) chain.unshift((c as { params: ParamDefaults }).params ?? {});
  }
  return Object.assign({}, ...chain);
}

/**
 * Merges user values into the defaults. An unknown name is an error listing the valid ones; a
 * value whose type differs from a numeric/boolean/string default is an error too.
 */
export function resolveParams(owner: string, defaults: ParamDefaults, given: ParamDefaults | undefined): ParamDefaults {
  const out: ParamDefaults = { ...defaults };
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      const valid = Object.keys(defaults);
      throw new ParamError(
        `${owner} has no parameter '${key}'; valid parameters: ${valid.length ? valid.join(', ') : '(none)'}`,
      );
    }
    const def = defaults[key];
    const kind = typeof def;
    if ((kind === 'number' || kind === 'boolean' || kind === 'string') && def !== null && typeof value !== kind) {
      throw new ParamError(`${owner}: parameter '${key}' must be a ${kind} (default ${String(def)}), got ${typeof value}`);
    }
    out[key] = value;
  }
  return out;
}
