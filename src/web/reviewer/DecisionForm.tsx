import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import type {
  CaseFile,
  DecisionOutcome,
  DecisionRecorded,
  DecisionRequest,
  DiscrepancyItem as Item,
  LegalGround as Ground,
} from '../../contracts';
import { FieldError, fieldInvalid } from './common';

/**
 * The reasoned decision (domain brief §8): an outcome the process allows now, a legal ground of
 * that outcome (GET /api/v1/legal-grounds) and the reviewer's written reason; a discrepancy
 * names what is wrong per field or document (000 §2.4). The API checks everything again and
 * its problems are shown next to the fields they name.
 */
export function DecisionForm({ file }: { file: CaseFile }) {
  const { t, i18n } = useTranslation('reviewer');
  const navigate = useNavigate();
  const outcomes = file.decisionOptions.outcomes;
  // No outcome is preselected: the reviewer chooses one deliberately.
  const [outcome, setOutcome] = useState('');
  const [legalGround, setLegalGround] = useState('');
  const [reason, setReason] = useState('');
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const documentKinds = [...new Set(file.documents.map((d) => String(d.kind)))];
  const fieldNames = Object.keys(file.applicant.details);

  // Only the grounds that apply to the case as it stands (the case file's decisionOptions), for
  // the outcome chosen; a single one is chosen for the reviewer.
  const grounds: Ground[] = outcome
    ? file.decisionOptions.grounds.filter((g) => g.decision === outcome)
    : [];
  const chosenGround = grounds.find((g) => g.code === legalGround);
  const groundText = (g: Ground) => (i18n.language === 'en' ? g.textEn : g.textAz);

  const choose = (o: string) => {
    setOutcome(o);
    const mine = file.decisionOptions.grounds.filter((g) => g.decision === o);
    setLegalGround(mine.length === 1 ? mine[0]!.code : '');
    if (o === 'discrepancy' && items.length === 0)
      setItems([{ target: 'document', name: documentKinds[0] ?? '', comment: '' }]);
  };

  const submit = async () => {
    setBusy(true);
    try {
      await api<DecisionRecorded>(`/api/v1/review-tasks/${file.task.taskId}/decision`, {
        method: 'POST',
        body: {
          // one of the outcomes the case file offers (the API checks it again)
          outcome: outcome as DecisionOutcome,
          legalGround,
          reason,
          ...(outcome === 'discrepancy' ? { items } : {}),
        } satisfies DecisionRequest,
      });
      await navigate('/reviewer', {
        state: {
          confirmation: t('decision.done', { outcome: t(`decision.outcomes.${outcome}`) }),
        },
      });
    } catch (err) {
      setError(err);
      setBusy(false);
      // Focus the first field the API named, else the error summary.
      const first = err instanceof ApiError ? err.problem.errors?.[0]?.field : undefined;
      requestAnimationFrame(() => {
        const el = first
          ? formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)
          : undefined;
        (el ?? formRef.current?.querySelector<HTMLElement>('.error-summary'))?.focus();
      });
    }
  };

  const setItem = (i: number, patch: Partial<Item>) =>
    setItems((xs) => xs.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const invalid = (f: string) => fieldInvalid(error, f);
  const apiProblem = error instanceof ApiError ? error : undefined;
  const namedFields = new Set(apiProblem?.problem.errors?.map((e) => e.field) ?? []);
  const fieldId = (f: string) => `decision-${f.replace(/\./g, '-')}`;
  const fieldLabel = (f: string): string => {
    const m = /^items\.(\d+)\.(name|comment)$/.exec(f);
    if (m)
      return `${t('decision.item', { n: Number(m[1]) + 1 })} — ${t(m[2] === 'name' ? 'decision.name' : 'decision.comment')}`;
    const labels: Record<string, string> = {
      outcome: t('decision.outcome'),
      legalGround: t('decision.ground'),
      reason: t('decision.reason'),
      items: t('decision.items'),
    };
    return labels[f] ?? f;
  };

  return (
    <section className="panel" aria-labelledby="h-decision">
      <h2 id="h-decision">{t('decision.title')}</h2>
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {apiProblem && (
          <div
            tabIndex={-1}
            className="error-summary"
            role="alert"
            aria-labelledby="decision-error-title"
          >
            <h3 id="decision-error-title">{t('decision.summaryTitle')}</h3>
            <p>{t('decision.invalid')}</p>
            {namedFields.size ? (
              <ul>
                {apiProblem.problem.errors!.map((e) => (
                  <li key={e.field}>
                    <a
                      href={`#${fieldId(e.field)}`}
                      onClick={(ev) => {
                        ev.preventDefault();
                        formRef.current
                          ?.querySelector<HTMLElement>(`[data-field="${e.field}"]`)
                          ?.focus();
                      }}
                    >
                      {fieldLabel(e.field)}: {e.message}
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{apiProblem.message}</p>
            )}
          </div>
        )}
        {error && !apiProblem ? <ErrorBox error={error} /> : null}
        <fieldset
          id={fieldId('outcome')}
          data-field="outcome"
          tabIndex={-1}
          aria-invalid={invalid('outcome')}
          aria-describedby="err-outcome"
        >
          <legend>{t('decision.outcome')}</legend>
          {outcomes.map((o) => (
            <label key={o} className="check">
              <input
                type="radio"
                name="outcome"
                value={o}
                checked={outcome === o}
                onChange={() => choose(o)}
              />
              {t(`decision.outcomes.${o}`, { defaultValue: o })}
            </label>
          ))}
          <FieldError id="err-outcome" error={error} field="outcome" />
        </fieldset>
        {outcome === 'extend' && <p className="note">{t('decision.extendNote')}</p>}

        <label>
          {t('decision.ground')}
          <select
            id={fieldId('legalGround')}
            data-field="legalGround"
            value={legalGround}
            onChange={(e) => setLegalGround(e.target.value)}
            aria-invalid={invalid('legalGround')}
            aria-describedby="err-legalGround"
          >
            <option value="">
              {outcome ? t('decision.chooseGround') : t('decision.chooseOutcomeFirst')}
            </option>
            {grounds.map((g) => (
              <option key={g.code} value={g.code}>
                {groundText(g) + ` (${g.citation})`}
              </option>
            ))}
          </select>
          <FieldError id="err-legalGround" error={error} field="legalGround" />
        </label>
        {chosenGround && (
          <p className="ground-text" data-testid="chosen-ground">
            {groundText(chosenGround)}{' '}
            <cite>{t('decision.citation', { citation: chosenGround.citation })}</cite>
          </p>
        )}
        {outcome && <p className="hint">{t('decision.groundsNote')}</p>}

        <label>
          {t('decision.reason')}
          <textarea
            id={fieldId('reason')}
            data-field="reason"
            rows={4}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={invalid('reason')}
            aria-describedby="err-reason"
            required
          />
          <FieldError id="err-reason" error={error} field="reason" />
        </label>

        {outcome === 'discrepancy' && (
          <fieldset
            id={fieldId('items')}
            data-field="items"
            tabIndex={-1}
            aria-describedby="err-items"
          >
            <legend>{t('decision.items')}</legend>
            <FieldError id="err-items" error={error} field="items" />
            <datalist id="discrepancy-fields">
              {fieldNames.map((f) => (
                <option key={f} value={f}>
                  {t(`fields.${f}`, { defaultValue: f })}
                </option>
              ))}
            </datalist>
            {items.map((item, i) => (
              <fieldset key={i} className="item">
                <legend>{t('decision.item', { n: i + 1 })}</legend>
                <label>
                  {t('decision.target')}
                  <select
                    value={item.target}
                    onChange={(e) =>
                      setItem(i, {
                        target: e.target.value as Item['target'],
                        name: e.target.value === 'document' ? (documentKinds[0] ?? '') : '',
                      })
                    }
                  >
                    <option value="document">{t('decision.targetDocument')}</option>
                    <option value="field">{t('decision.targetField')}</option>
                  </select>
                </label>
                <label>
                  {t('decision.name')}
                  {item.target === 'document' && documentKinds.length > 0 ? (
                    <select
                      id={fieldId(`items.${i}.name`)}
                      data-field={`items.${i}.name`}
                      value={item.name}
                      onChange={(e) => setItem(i, { name: e.target.value })}
                    >
                      {documentKinds.map((k) => (
                        <option key={k} value={k}>
                          {t(`documentKinds.${k}`, { defaultValue: k })}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      id={fieldId(`items.${i}.name`)}
                      data-field={`items.${i}.name`}
                      list="discrepancy-fields"
                      value={item.name}
                      onChange={(e) => setItem(i, { name: e.target.value })}
                      aria-invalid={invalid(`items.${i}.name`)}
                      aria-describedby={`err-items-${i}-name`}
                    />
                  )}
                  <FieldError id={`err-items-${i}-name`} error={error} field={`items.${i}.name`} />
                </label>
                <label>
                  {t('decision.comment')}
                  <textarea
                    id={fieldId(`items.${i}.comment`)}
                    data-field={`items.${i}.comment`}
                    rows={2}
                    value={item.comment}
                    onChange={(e) => setItem(i, { comment: e.target.value })}
                    aria-invalid={invalid(`items.${i}.comment`)}
                    aria-describedby={`err-items-${i}-comment`}
                  />
                  <FieldError
                    id={`err-items-${i}-comment`}
                    error={error}
                    field={`items.${i}.comment`}
                  />
                </label>
                <button
                  type="button"
                  onClick={() => setItems((xs) => xs.filter((_, j) => j !== i))}
                >
                  {t('decision.removeItem')}
                </button>
              </fieldset>
            ))}
            <button
              type="button"
              onClick={() =>
                setItems((xs) => [
                  ...xs,
                  { target: 'document', name: documentKinds[0] ?? '', comment: '' },
                ])
              }
            >
              {t('decision.addItem')}
            </button>
          </fieldset>
        )}

        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('decision.submitting') : t('decision.submit')}
        </button>
      </form>
    </section>
  );
}
