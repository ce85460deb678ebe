import os from 'node:os';
import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from 'pino';
import { upsertReviewTask } from '../cases/review-task.js';
import type { Pool } from '../db/pool.js';

type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;

/** The job type of Camunda user tasks implemented as jobs. */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
const CANDIDATE_GROUPS_HEADER = 'io.camunda.zeebe:candidateGroups';
const DUE_DATE_HEADER = 'io.camunda.zeebe:dueDate';

/**
 * Keeps the reviewers' inbox (review_task) in step with the engine's open user tasks. The 8.6
 * engine offers no user-task search without Elasticsearch, so user tasks are job-based: this
 * takes each one under a long lease and records it. Recording is idempotent (job key), so a
 * lease that lapses and is taken again changes nothing; a decision completes the job whatever
 * its lease (the engine completes activatable and activated jobs alike).
 */
export class TaskInbox {
  private stream: { close: () => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly worker = `az-housing-inbox-${os.hostname()}-${process.pid}`;

  constructor(
    private readonly zeebe: ZeebeGrpcClient,
    private readonly pool: Pool,
    private readonly log: Logger,
    private readonly leaseMs = 60 * 60 * 1000,
    private readonly pollMs = 5000,
  ) {}

  async start(): Promise<void> {
    this.stream = await this.zeebe.streamJobs({
      type: USER_TASK_JOB_TYPE,
      worker: this.worker,
      timeout: this.leaseMs,
      fetchVariables: ['caseId', 'caseType'],
      pollInterval: -1,
      tenantIds: [],
      taskHandler: (job) => {
        void this.record(job as unknown as UserTaskJob);
        return job.forward();
      },
    });
    const poll = async () => {
      if (this.stopped) return;
      await this.poll().catch((err: unknown) =>
        this.log.debug({ err: (err as Error).message }, 'inbox poll failed'),
      );
      if (!this.stopped) this.timer = setTimeout(() => void poll(), this.pollMs);
    };
    this.timer = setTimeout(() => void poll(), this.pollMs);
  }

  /** Takes every user task the engine offers now and records it. */
  async poll(): Promise<number> {
    const jobs = await this.zeebe.activateJobs({
      type: USER_TASK_JOB_TYPE,
      worker: this.worker,
      timeout: this.leaseMs,
      maxJobsToActivate: 100,
      fetchVariable: ['caseId', 'caseType'],
      requestTimeout: -1,
    });
    for (const job of jobs) await this.record(job as unknown as UserTaskJob);
    return jobs.length;
  }

  private async record(job: UserTaskJob): Promise<void> {
    // Every process names the case its tasks belong to.
    const { caseId, caseType } = job.variables as { caseId?: unknown; caseType?: unknown };
    if (typeof caseId !== 'string' || typeof caseType !== 'string') {
      this.log.error(
        { jobKey: job.key, elementId: job.elementId },
        'user task without a case id: left for operators',
      );
      return;
    }
    const headers = job.customHeaders as Record<string, string | undefined>;
    let groups: string[] = [];
    try {
      groups = JSON.parse(headers[CANDIDATE_GROUPS_HEADER] ?? '[]') as string[];
    } catch {
      groups = [];
    }
    try {
      const created = await upsertReviewTask(this.pool, {
        jobKey: job.key,
        caseType,
        caseId,
        processInstanceKey: job.processInstanceKey,
        bpmnProcessId: job.bpmnProcessId,
        elementId: job.elementId,
        candidateGroups: groups,
        dueAt: headers[DUE_DATE_HEADER] ?? null,
      });
      if (created)
        this.log.info({ jobKey: job.key, elementId: job.elementId }, 'review task opened');
    } catch (err) {
      // Not recorded: the lease lapses and the task is offered again.
      this.log.warn(
        { jobKey: job.key, err: (err as Error).message },
        'could not record the review task',
      );
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.stream?.close();
  }
}

interface UserTaskJob {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  variables: unknown;
  customHeaders: unknown;
}
