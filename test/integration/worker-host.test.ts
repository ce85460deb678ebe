import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Zeebe } from '@camunda8/sdk';
import type { Camunda8 } from '@camunda8/sdk';
import { closeCamunda, createCamunda } from '../../src/engine/client.js';
import { startWorkers, type WorkerHost } from '../../src/engine/worker-host.js';
import { BpmnError, type WorkerDefinition } from '../../src/engine/worker.js';
import { createLogger } from '../../src/logger.js';
import { probeModel } from '../support/probe-models.js';
import { eventually, LogCapture } from '../support/stack.js';

let camunda: Camunda8;
let zeebe: Zeebe.ZeebeGrpcClient;
const hosts: WorkerHost[] = [];
const logs = new LogCapture();
const log = createLogger('info', logs);
const deps = { pool: undefined as never, log, now: () => new Date() };

async function deploy(xml: string, name: string) {
  await zeebe.deployResource({ process: Buffer.from(xml), name });
}

async function host(defs: WorkerDefinition[], jobTimeoutMs = 10_000) {
  const h = await startWorkers(zeebe, defs, deps, {
    jobTimeoutMs,
    retryBackoffBaseMs: 300,
    pollIntervalMs: 500,
  });
  hosts.push(h);
  return h;
}

beforeAll(() => {
  camunda = createCamunda({
    grpcAddress: process.env.TEST_ZEEBE_ADDRESS!,
    restAddress: process.env.TEST_CAMUNDA_REST_ADDRESS!,
  });
  zeebe = camunda.getZeebeGrpcApiClient();
});
afterAll(async () => {
  for (const h of hosts) await h.stop(1000);
  await closeCamunda(camunda);
});

describe('worker host', () => {
  it('given a worker that completes, when an instance runs, then the returned variables reach the process', async () => {
    await deploy(
      probeModel({ processId: 'probe-complete', taskType: 'probe-complete' }),
      'probe-complete.bpmn',
    );
    await host([
      {
        taskType: 'probe-complete',
        fetchVariables: ['n'],
        handle: async (job) => ({ doubled: (job.variables as { n: number }).n * 2 }),
      },
    ]);
    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'probe-complete',
      variables: { n: 21 },
      requestTimeout: 20_000,
    });
    expect(result.variables).toEqual(expect.objectContaining({ doubled: 42 }));
  });

  it('given a worker that always fails, then each retry waits longer and after the last one the job is offered no more (incident)', async () => {
    const calls: { at: number; retries: number }[] = [];
    await deploy(
      probeModel({ processId: 'probe-failing', taskType: 'probe-failing', retries: 3 }),
      'probe-failing.bpmn',
    );
    await host([
      {
        taskType: 'probe-failing',
        fetchVariables: [],
        handle: async (job) => {
          calls.push({ at: Date.now(), retries: job.retries });
          throw new Error('registry unavailable');
        },
      },
    ]);
    await zeebe.createProcessInstance({ bpmnProcessId: 'probe-failing', variables: {} });
    await eventually(async () => calls.length >= 3, 20_000);
    await new Promise((r) => setTimeout(r, 2500));
    expect(calls.map((c) => c.retries)).toEqual([3, 2, 1]);
    const gap1 = calls[1]!.at - calls[0]!.at;
    const gap2 = calls[2]!.at - calls[1]!.at;
    expect(gap2).toBeGreaterThan(gap1);
    expect(logs.text).toContain('registry unavailable');
  });

  it('given a business rejection, when the worker throws BpmnError, then the process takes the error boundary path', async () => {
    await deploy(
      probeModel({
        processId: 'probe-rejecting',
        taskType: 'probe-rejecting',
        errorCode: 'REJECTED',
      }),
      'probe-rejecting.bpmn',
    );
    await host([
      {
        taskType: 'probe-rejecting',
        fetchVariables: [],
        handle: async () => {
          throw new BpmnError('REJECTED', 'not eligible');
        },
      },
    ]);
    const result = await zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'probe-rejecting',
      variables: {},
      requestTimeout: 20_000,
    });
    expect(result.variables).toEqual(expect.objectContaining({ outcome: 'rejected' }));
  });

  it('given a worker that dies holding a job, when another worker runs, then the job is done after its lease expires (nothing lost)', async () => {
    await deploy(
      probeModel({ processId: 'probe-crash', taskType: 'probe-crash' }),
      'probe-crash.bpmn',
    );
    let firstTook = false;
    const dying = await host(
      [
        {
          taskType: 'probe-crash',
          fetchVariables: [],
          handle: () => {
            firstTook = true;
            return new Promise(() => undefined);
          },
        },
      ],
      1500,
    );
    const running = zeebe.createProcessInstanceWithResult({
      bpmnProcessId: 'probe-crash',
      variables: {},
      requestTimeout: 30_000,
    });
    await eventually(async () => firstTook);
    await dying.stop(0); // the "crash": it never completes the job it holds
    await host(
      [{ taskType: 'probe-crash', fetchVariables: [], handle: async () => ({ doneBy: 'second' }) }],
      10_000,
    );
    expect((await running).variables).toEqual(expect.objectContaining({ doneBy: 'second' }));
  });
});
