/** The dashboard of a live session: a local web page over the session's events. */
export { startDashboard } from './server.js';
export type { Dashboard, DashboardOptions, DashboardFeed, KillRequest } from './server.js';
export { busFeed, journalFeed, eventsOfRow } from './feeds.js';
export type { JournalFeedOptions } from './feeds.js';
export { DashboardState } from './state.js';
export type { DashboardSnapshot, DashboardPosition, DashboardFill } from './state.js';
