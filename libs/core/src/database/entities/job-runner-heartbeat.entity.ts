import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Used by `/health/ready`; rows older than 1 day are deleted. */
@Entity({ name: 'job_runner_heartbeats' })
export class JobRunnerHeartbeatEntity {
  /** Host + process id. */
  @PrimaryColumn({ name: 'runner_id', type: 'varchar', length: 100 })
  runnerId: string;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  startedAt: Date;

  /** Updated every 15 s. */
  @Column({ name: 'last_seen_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  lastSeenAt: Date;
}
