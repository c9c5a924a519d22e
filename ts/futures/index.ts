export { activeContract, continuous, isContinuous } from './continuous.js';
export type { ContinuousFeed, ContinuousOptions, ContinuousSeries } from './continuous.js';
export { rollPosition } from './roll-position.js';
export type { RollPositionOptions } from './roll-position.js';
export { syntheticChain } from './synthetic.js';
export type { SyntheticChainOptions, SyntheticContract } from './synthetic.js';
export type { Adjustment, ContractBar, CustomRollRule, FuturesContract, RollEvent, RollReason, RollRule } from './types.js';
export { ScheduledRoller } from './scheduled-roll.js';
export type { ScheduledContract, ScheduledRoll, ScheduledRollOptions } from './scheduled-roll.js';
