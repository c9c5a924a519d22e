export { RiskEngine, RISK_CHECKS } from './engine.js';
export type { RiskEngineOptions, KillSwitchRequest } from './engine.js';
export { resolveRiskConfig } from './config.js';
export type { RiskConfig, RiskLimits, RiskState, RateLimit, TradingDaySpec, ResolvedLimits, ResolvedRiskConfig } from './config.js';
export type { RiskOrder, RiskContext, RiskDecision } from './types.js';
export { TokenBucket } from './token-bucket.js';
export { installKillSwitch, requestKillSwitch, killRequestFile, DEFAULT_PID_FILE, KILL_SIGNAL } from './kill-signal.js';
export type { KillSwitchListener, KillSwitchListenerOptions, KillRequestOptions } from './kill-signal.js';
