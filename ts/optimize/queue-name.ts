/** The queue distributed sweeps use unless told otherwise. Apart so that naming it loads no Redis client. */
export const DEFAULT_QUEUE = 'ferrotrade-sweeps';
