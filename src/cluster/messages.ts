/**
 * Messages between the cluster primary and its workers over the IPC channel. Each carries a
 * `type` starting with `gazette:` so that other messages on the channel are left alone.
 */

/** A worker answered a write: every other worker must read the events table before it answers. */
export const PURGE_REQUEST = 'gazette:purge-request';
/** The primary asks a worker to read the events table now. */
export const PURGE_NOW = 'gazette:purge-now';
/** A worker has read the events table (answer to PURGE_NOW). */
export const PURGE_ACK = 'gazette:purge-ack';
/** Every other worker has read the events table (answer to PURGE_REQUEST). */
export const PURGE_DONE = 'gazette:purge-done';

export interface ClusterMessage {
  type: string;
  id: number;
}

/** PURGE_REQUEST and PURGE_NOW: the writer had read events up to `upTo` and told other instances of them. */
export interface PurgeMessage extends ClusterMessage {
  upTo?: number;
}

export function isClusterMessage(message: unknown, type: string): message is ClusterMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as ClusterMessage).type === type &&
    typeof (message as ClusterMessage).id === 'number'
  );
}

/** The variables the primary gives its workers. */
export const WORKER_ENV = 'GAZETTE_CLUSTER_WORKER';
export const WORKER_INDEX_ENV = 'GAZETTE_WORKER_INDEX';

/** True in a server process forked by Gazette's cluster primary. */
export function isClusterWorker(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[WORKER_ENV] === '1' && typeof process.send === 'function';
}

/** Worker 0 tells the primary whether the install still needs its first admin (`needed`), for the ready message. */
export const SETUP_STATE = 'gazette:setup-state';

export interface SetupStateMessage extends ClusterMessage {
  needed: boolean;
}

/** The first-admin setup secret the primary made, given to its workers so that a restarted worker keeps the printed link valid. */
export const SETUP_TOKEN_ENV = 'GAZETTE_SETUP_TOKEN';
