import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { auditTrail } from '../../src/cases/audit.js';
import {
  calendarDayAuditId,
  getCalendarDay,
  loadCalendar,
} from '../../src/cases/calendar-repository.js';
import { civilDateInBaku, deadlineEnd } from '../../src/domain/calendar.js';
import { deployModels } from '../../src/engine/models.js';
import { ok, type EngineRest } from '../../src/engine/rest.js';
import { createLogger } from '../../src/logger.js';
import { eventually } from '../support/stack.js';
import { as } from '../support/auth.js';
import { openTaskOf, submitNew } from '../support/applications.js';
import {
  axeViolations,
  launchBrowser,
  newContext,
  screenshot,
  seedAccount,
  signIn,
} from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
let browser: Browser;
/** The stack's engine (REST), for the probe processes below. */
let rest: EngineRest;

// generous: the stack starts an engine, and the machine may be shared
beforeAll(async () => {
  t = await startTestStack();
  rest = t.engine;
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function operatorPage(id: string, displayName?: string): Promise<Page> {
  const who = await seedAccount(t.stack.db.pool, { id, roles: ['operator'], displayName });
  const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
  await signIn(page, who);
  return page;
}

let seq = 0;
async function reviewTask(process: string, body: string, dueAt: Date, assignee?: string) {
  seq += 1;
  await t.stack.db.pool.query(
    `INSERT INTO review_task (task_id, case_type, case_id, process_instance_id, process_definition_key,
                              element_id, candidate_groups, assignee, due_at)
     VALUES ($1, 'waitlist-case', $2, $3, $4, 'review', $5, $6, $7)`,
    [
      `e2e-task-${seq}`,
      randomUUID(),
      randomUUID(),
      process,
      [`${body}-reviewers`],
      assignee ?? null,
      dueAt,
    ],
  );
}

/** The numbers in one table row, by column header. */
async function rowCounts(page: Page, selector: string): Promise<number[]> {
  const cells = await page.locator(`${selector} td`).allTextContents();
  return cells.map(Number);
}

describe('deadlines dashboard screen', () => {
  it('given open tasks overdue, due today, due within 3 working days and later, when an operator opens the dashboard, then each process and body shows those counts, coloured, in Azerbaijani and English', async () => {
    // Due dates from today's Baku date and the stored working-day calendar. The bodies are
    // this test's own; the process row adds to what this file's other cases put there.
    const calendar = await loadCalendar(t.stack.db.pool);
    const today = civilDateInBaku(new Date());
    const before = (
      await t.api('/api/v1/operator/deadlines', { headers: as('operator-1') })
    ).body.processes.find(
      (p: { bpmnProcessId: string }) => p.bpmnProcessId === 'waitlist-registration',
    ) ?? { open: 0, overdue: 0, dueToday: 0, dueSoon: 0 };
    await reviewTask('waitlist-registration', 'e2e-north', new Date(Date.now() - 2 * 86_400_000));
    await reviewTask('waitlist-registration', 'e2e-north', deadlineEnd(today), 'e2e-reviewer');
    await reviewTask(
      'waitlist-registration',
      'e2e-north',
      deadlineEnd(calendar.addWorkingDays(today, 3)),
    );
    await reviewTask(
      'waitlist-registration',
      'e2e-south',
      deadlineEnd(calendar.addWorkingDays(today, 4)),
    );

    const page = await operatorPage('e2e-deadlines');
    await page.getByRole('link', { name: 'Müddətlər' }).click();
    await page.getByRole('heading', { name: 'Müddətlər' }).waitFor();
    const row = '[data-testid="deadlines-by-process"] tr[data-process="waitlist-registration"]';
    await page.locator(row).waitFor();
    await expect(page.locator(`${row} th`).textContent()).resolves.toBe('Uçota alınma');
    // open, overdue, due today, due within 3 working days
    await expect(rowCounts(page, row)).resolves.toEqual([
      before.open + 4,
      before.overdue + 1,
      before.dueToday + 1,
      before.dueSoon + 1,
    ]);
    await expect(page.locator(`${row} td.deadline-due`).count()).resolves.toBe(2);
    await expect(page.locator(`${row} td.deadline-near`).count()).resolves.toBe(1);
    await expect(
      rowCounts(page, '[data-testid="deadlines-by-body"] tr[data-body="e2e-north"]'),
    ).resolves.toEqual([3, 1, 2, 1]);
    await expect(
      rowCounts(page, '[data-testid="deadlines-by-body"] tr[data-body="e2e-south"]'),
    ).resolves.toEqual([1, 0, 1, 0]);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'operator-deadlines');

    await page.getByRole('button', { name: 'EN' }).click();
    await expect(
      page.locator('[data-testid="deadlines-by-process"] thead th').allTextContents(),
    ).resolves.toEqual(['Process', 'Open', 'Overdue', 'Due today', 'Within 3 working days']);
    await expect(page.locator(`${row} th`).textContent()).resolves.toBe('Waitlist registration');
  });
});

describe('calendar screen', () => {
  it('given an operator, when they add a holiday with a reason and then remove it, then the list and the change log show both, in Azerbaijani and English', async () => {
    const page = await operatorPage('e2e-calendar', 'Nigar Əliyeva');
    await page.goto('/operator/calendar?year=2026');
    await page.getByRole('heading', { name: 'İş günləri təqvimi' }).waitFor();
    // a seeded holiday is listed with its name and legal basis in the screen's language
    const flagDay = page.locator('[data-testid="calendar-days"] tr[data-date="2026-11-09"]');
    await expect(flagDay.locator('td').allTextContents()).resolves.toEqual([
      'bayram',
      'Dövlət Bayrağı günü',
      'Əmək Məcəlləsinin 105.1-ci maddəsi',
      expect.any(String),
      expect.any(String),
    ]);
    expect(await axeViolations(page)).toEqual([]);

    const form = page.getByRole('form', { name: 'Gün əlavə et' });
    await form.getByLabel('Tarix').fill('2026-12-15');
    await form.getByLabel('Növ').selectOption('other_day_off');
    await form.getByLabel('Ad (azərbaycanca)').fill('Sınaq istirahət günü');
    await form.getByLabel('Ad (ingiliscə)').fill('Test day off');
    await form.getByLabel('Hüquqi əsas (azərbaycanca)').fill('Nazirlər Kabinetinin qərarı (sınaq)');
    await form.getByLabel('Hüquqi əsas (ingiliscə)').fill('Cabinet decision (test)');
    await form.getByLabel('Dəyişikliyin səbəbi').fill('Kabinetin qərarı dərc edildi');
    await form.getByRole('button', { name: 'Yadda saxla' }).click();
    const added = page.locator('[data-testid="calendar-days"] tr[data-date="2026-12-15"]');
    await added.waitFor();
    await expect(added.textContent()).resolves.toContain('Sınaq istirahət günü');
    await expect(added.textContent()).resolves.toContain('Nazirlər Kabinetinin qərarı (sınaq)');
    const log = page.locator('[data-testid="calendar-audit"] tbody tr');
    await log.first().filter({ hasText: 'əlavə edildi' }).waitFor();
    await expect(log.first().textContent()).resolves.toContain('Kabinetin qərarı dərc edildi');
    // who made the change, by name
    await expect(log.first().textContent()).resolves.toContain('Nigar Əliyeva');
    await expect(log.first().textContent()).resolves.not.toContain('e2e-calendar');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-15')).resolves.toMatchObject({
      kind: 'other_day_off',
      updatedBy: 'e2e-calendar',
    });
    await screenshot(page, 'operator-calendar');

    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Working-day calendar' }).waitFor();
    await expect(flagDay.locator('td').allTextContents()).resolves.toEqual([
      'holiday',
      'State Flag Day',
      'Labour Code 105.1',
      expect.any(String),
      expect.any(String),
    ]);
    await expect(added.textContent()).resolves.toContain('Test day off');
    await expect(added.textContent()).resolves.toContain('Cabinet decision (test)');
    await added.getByRole('button', { name: 'Remove' }).click();
    // a removal needs a reason (it is audited): without one, nothing is removed
    await added.getByRole('button', { name: 'Confirm removal' }).click();
    await added.getByText('a deletion needs a reason (kept in the audit trail)').waitFor();
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-15')).resolves.toMatchObject({
      kind: 'other_day_off',
    });
    await added.getByLabel(/Reason for removing/).fill('Entered by mistake');
    await added.getByRole('button', { name: 'Confirm removal' }).click();
    await added.waitFor({ state: 'detached' });
    await log.first().filter({ hasText: 'removed' }).waitFor();
    await expect(log.first().textContent()).resolves.toContain('Entered by mistake');
    await expect(log.nth(1).textContent()).resolves.toContain('added');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-15')).resolves.toBeUndefined();
    const trail = await auditTrail(t.stack.db.pool, 'calendar', calendarDayAuditId('2026-12-15'));
    expect(trail.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['calendar-day-added', 'e2e-calendar', 'Kabinetin qərarı dərc edildi'],
      ['calendar-day-deleted', 'e2e-calendar', 'Entered by mistake'],
    ]);
  });

  it('given a day without its legal source, when saved, then the error is shown next to each source field and nothing is stored', async () => {
    const page = await operatorPage('e2e-calendar-2');
    await page.goto('/operator/calendar?year=2026');
    const form = page.getByRole('form', { name: 'Gün əlavə et' });
    await form.getByLabel('Tarix').fill('2026-12-16');
    await form.getByLabel('Ad (azərbaycanca)').fill('Sınaq');
    await form.getByLabel('Ad (ingiliscə)').fill('Test');
    await form.getByRole('button', { name: 'Yadda saxla' }).click();
    const source = form.getByLabel('Hüquqi əsas (azərbaycanca)');
    await form.locator('#new-day-sourceAz-error').waitFor();
    await expect(form.locator('#new-day-sourceAz-error').textContent()).resolves.toBe(
      'the legal source of the day is required, in Azerbaijani',
    );
    await expect(form.locator('#new-day-sourceEn-error').textContent()).resolves.toBe(
      'the legal source of the day is required, in English',
    );
    await expect(source.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-16')).resolves.toBeUndefined();
  });
});

/**
 * start → external task (topic = the process id) → end, with its diagram (the shapes bpmn-js
 * draws). The test plays the worker: it fails the task with no retries left (an incident), and
 * completes it once "fixed".
 */
function probeWithDiagram(processId: string): string {
  const shape = (id: string, x: number, w: number, h: number) =>
    `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${120 - h / 2}" width="${w}" height="${h}" /></bpmndi:BPMNShape>`;
  const edge = (id: string, x1: number, x2: number) =>
    `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${x1}" y="120" /><di:waypoint x="${x2}" y="120" /></bpmndi:BPMNEdge>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d-${processId}" targetNamespace="http://test">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true" camunda:historyTimeToLive="P30D">
    <bpmn:startEvent id="start" name="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" name="registry check" camunda:type="external" camunda:topic="${processId}">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" name="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" bpmnElement="${processId}">
    ${shape('start', 100, 36, 36)}${shape('task', 200, 100, 80)}${shape('end', 360, 36, 36)}
    ${edge('f1', 136, 200)}${edge('f2', 300, 360)}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

describe('instance view of a real process', () => {
  it('given an application waiting for review, when an operator finds its instance by the application id, then the review task is marked active and the checks completed on the application-review diagram', async () => {
    const { id, registrationNumber } = await submitNew(t, '5HZ4MKT');
    await openTaskOf(t, id);
    const page = await operatorPage('e2e-instance');
    await page.getByRole('link', { name: 'Proseslər' }).click();
    const search = page.getByRole('search');
    await search.getByLabel('İş nömrəsi, iş və ya nümunə identifikatoru').fill(id);
    await search.getByRole('button', { name: 'Axtar' }).click();
    // the case as people call it: the application's number, not its UUID
    await page
      .getByTestId('instances')
      .getByRole('cell', { name: `Müraciət № ${registrationNumber}` })
      .first()
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page
      .getByRole('link', { name: /nümunəsini aç/ })
      .first()
      .click();

    await page.locator('[data-element-id="review-application"].marker-active').waitFor();
    await page.locator('[data-element-id="start-review-task"].marker-completed').waitFor();
    await expect(page.getByTestId('instance-state').textContent()).resolves.toBe('aktiv');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'operator-instance-review');
  });
});

describe('incidents: find, see on the diagram, retry', () => {
  /**
   * A probe process whose task fails with no retries left (an incident) until `fixed` is set;
   * then its next attempt completes. `start()` starts an instance and plays its worker.
   */
  async function failingProbe(processId: string) {
    const probe = { fixed: false };
    await deployModels({ rest, pool: t.stack.db.pool, log: createLogger('silent') }, [
      { file: `${processId}.bpmn`, xml: probeWithDiagram(processId), processIds: [processId] },
    ]);
    const work = async (businessKey: string) => {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        const [task] = await rest
          .POST('/external-task/fetchAndLock', {
            body: {
              workerId: 'e2e',
              maxTasks: 1,
              asyncResponseTimeout: 1000,
              topics: [
                {
                  topicName: processId,
                  businessKey,
                  lockDuration: 10_000,
                  localVariables: false,
                  withoutTenantId: false,
                  deserializeValues: false,
                  includeExtensionProperties: false,
                },
              ],
            },
          })
          .then(ok, () => []); // a dropped connection: ask again
        if (!task) continue;
        const path = { id: task.id! };
        if (!probe.fixed) {
          ok(
            await rest.POST('/external-task/{id}/failure', {
              params: { path },
              body: {
                workerId: 'e2e',
                errorMessage: 'registry unavailable (probe)',
                retries: 0,
                retryTimeout: 0,
              },
            }),
          );
          continue;
        }
        ok(
          await rest.POST('/external-task/{id}/complete', {
            params: { path },
            body: { workerId: 'e2e' },
          }),
        );
        return;
      }
    };
    const start = async () => {
      const businessKey = randomUUID();
      ok(
        await rest.POST('/process-definition/key/{key}/start', {
          params: { path: { key: processId } },
          body: { businessKey },
        }),
      );
      // the test's stand-in worker runs beside the test; a connection the engine drops is retried
      void work(businessKey).catch(() => undefined);
    };
    return { probe, start };
  }

  async function incidentsOf(processId: string, n: number): Promise<{ id: string }[]> {
    return eventually(async () => {
      const res = await t.api(
        `/api/v1/operator/process-instances?process=${processId}&state=incident`,
        { headers: as('operator-1') },
      );
      return res.body.total === n ? (res.body.items as { id: string }[]) : undefined;
    }, 30_000);
  }

  it('given an instance whose task failed with no retries left, when an operator finds it, sees the incident on the diagram and retries it after the cause is fixed, then the instance completes', async () => {
    const { probe, start } = await failingProbe('probe-operator-incident');
    await start();
    const [instance] = await incidentsOf('probe-operator-incident', 1);

    const page = await operatorPage('e2e-incident');
    await page.getByRole('link', { name: 'Proseslər' }).click();
    const search = page.getByRole('search');
    await search.getByLabel('Proses').fill('probe-operator-incident');
    await search.getByLabel('Vəziyyət').selectOption('incident');
    await search.getByRole('button', { name: 'Axtar' }).click();
    await page.getByRole('link', { name: `${instance!.id} nümunəsini aç` }).click();

    await page.locator('[data-element-id="task"].marker-incident').waitFor();
    await expect(page.getByTestId('instance-state').textContent()).resolves.toBe('insident');
    const incidentRow = page.getByTestId('instance-incidents').locator('tbody tr');
    await expect(incidentRow.textContent()).resolves.toContain('registry unavailable (probe)');
    // the diagram: a legend in words, and zoom for the keyboard
    const legend = page.getByRole('list', { name: 'Şərti işarələr' });
    await expect(legend.innerText()).resolves.toContain('insident (xəta) olan addım');
    await expect(legend.innerText()).resolves.toContain('hazırda icra olunan addım');
    // the history of steps: element names and types in words
    const history = page.getByTestId('instance-history');
    await history.getByRole('rowheader', { name: 'registry check' }).waitFor();
    await history.getByRole('cell', { name: 'avtomatik addım (işçi)' }).waitFor();
    await expect(incidentRow.innerText()).resolves.toContain(
      'işçi tapşırığı yerinə yetirə bilmədi',
    );
    const viewport = page.locator('[data-testid="bpmn-canvas"] .viewport');
    const before = await viewport.getAttribute('transform');
    await page.getByRole('button', { name: 'Böyüt' }).click();
    await expect(viewport.getAttribute('transform')).resolves.not.toBe(before);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'operator-instance'); // zoomed in
    await page.getByRole('button', { name: 'Ekrana sığdır' }).click();

    probe.fixed = true;
    await incidentRow.getByLabel(/təkrar cəhdlərin sayı/).fill('2');
    await incidentRow.getByRole('button', { name: /^Təkrarla/ }).click();
    await page
      .getByTestId('instance-state')
      .filter({ hasText: 'tamamlanıb' })
      .waitFor({ timeout: 20_000 });
    await page.locator('[data-element-id="end"].marker-completed').waitFor();
    await expect(page.locator('[data-element-id="task"].marker-incident').count()).resolves.toBe(0);
  });

  it('given a retries count out of range, when retried, then the error is shown next to the retries field and the incident stays open', async () => {
    await (await failingProbe('probe-operator-range')).start();
    await incidentsOf('probe-operator-range', 1);

    const page = await operatorPage('e2e-incident-range');
    await page.goto('/operator/incidents?process=probe-operator-range');
    const row = page.getByTestId('incidents').locator('tbody tr');
    await expect(row.textContent()).resolves.toContain('registry unavailable (probe)');
    await row.getByLabel(/təkrar cəhdlərin sayı/).fill('50');
    await row.getByRole('button', { name: /^Təkrarla/ }).click();
    await expect(row.getByRole('alert').textContent()).resolves.toBe(
      'must be a whole number 1..10',
    );
    await incidentsOf('probe-operator-range', 1);
  });

  it('given two instances with incidents, when an operator selects both on the incidents screen (in Azerbaijani and English) and retries them together after the fix, then both complete', async () => {
    const { probe, start } = await failingProbe('probe-operator-batch');
    await start();
    await start();
    await incidentsOf('probe-operator-batch', 2);

    const page = await operatorPage('e2e-incidents-batch');
    await page.getByRole('link', { name: 'İnsidentlər' }).click();
    await page.getByRole('heading', { name: 'İnsidentlər' }).waitFor();
    await page.getByLabel('Proses', { exact: true }).fill('probe-operator-batch');
    await page.getByRole('button', { name: 'Axtar' }).click();
    const rows = page.getByTestId('incidents').locator('tbody tr');
    await eventually(async () => (await rows.count()) === 2);
    await expect(rows.first().textContent()).resolves.toContain('registry unavailable (probe)');
    await expect(rows.first().getByRole('link').textContent()).resolves.toMatch(/^[0-9a-f-]{36}$/);
    // each field labelled, the worker's message in full, and what retry does
    const first = await rows.first().innerText();
    expect(first).toContain('İşçinin mesajı');
    expect(first).toContain('işçi tapşırığı yerinə yetirə bilmədi');
    expect(first).toContain('İnsidentin açarı');
    await page.getByText(/«Təkrarla» tapşırığa göstərilən sayda təkrar cəhd verir/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // the same screen in English
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const firstEn = await rows.first().innerText();
    expect(firstEn).toContain('Worker’s message');
    expect(firstEn).toContain('a worker could not complete its task');
    expect(firstEn).toContain('Incident key');
    await page.getByText(/“Retry” gives the task the number of retries chosen/).waitFor();
    await page.getByRole('button', { name: 'AZ', exact: true }).click();
    await page.getByRole('heading', { name: 'İnsidentlər' }).waitFor();
    await page.getByLabel('Hamısını seç').check();
    await screenshot(page, 'operator-incidents');

    probe.fixed = true;
    await page.getByRole('button', { name: 'Seçilənləri təkrarla (2)' }).click();
    await page.getByRole('status').filter({ hasText: 'Göndərildi: 2, alınmadı: 0.' }).waitFor();
    await eventually(async () => {
      const res = await t.api(
        '/api/v1/operator/process-instances?process=probe-operator-batch&state=completed',
        { headers: as('operator-1') },
      );
      return res.body.total === 2;
    }, 20_000);
  });
});
