/** The Leadership port: of the replicas in one cluster, only the leader writes records and sends alerts. */
export interface Leadership {
  /** Whether this instance may act now: false as soon as it cannot be sure it still holds leadership. */
  isLeader(): boolean;
  start(): void;
  /** Stops campaigning and gives leadership up, so a standby takes over at once rather than after a timeout. */
  stop(): Promise<void>;
}

/** leaderElection.kind `single`: the only instance, always the leader (local runs, tests, one replica). */
export class SingleLeadership implements Leadership {
  isLeader(): boolean {
    return true;
  }

  start(): void {}

  async stop(): Promise<void> {}
}
