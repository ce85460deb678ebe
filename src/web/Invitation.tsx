import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { ErrorBox } from './components/ErrorBox';
import { FieldError } from './components/FieldError';
import type { AcceptInvitationRequest } from '../contracts';

/**
 * A new account's one-time invitation (issue 15): the token is in the link's fragment, which
 * the browser never sends to a server; the person sets their own password with it, once.
 */
export function Invitation() {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const token = window.location.hash.slice(1);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    try {
      await api('/api/v1/invitations/accept', {
        body: { token, password } satisfies AcceptInvitationRequest,
      });
      window.history.replaceState(null, '', '/invitation');
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  if (done)
    return (
      <section aria-labelledby="invitation-title">
        <h1 id="invitation-title">{t('invitation.title')}</h1>
        <p role="status">{t('invitation.done')}</p>
        <p>
          <a href="/">{t('invitation.signIn')}</a>
        </p>
      </section>
    );
  return (
    <section aria-labelledby="invitation-title">
      <h1 id="invitation-title">{t('invitation.title')}</h1>
      <p>{t('invitation.intro')}</p>
      <form className="panel sign-in" onSubmit={submit}>
        <FieldError error={error} field="token" />
        <label>
          {t('invitation.password')}
          <input
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldError error={error} field="password" />
        </label>
        <label>
          {t('invitation.repeat')}
          <input
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'err-repeat' : undefined}
          />
          {mismatch && (
            <span id="err-repeat" className="field-error" role="alert">
              {t('invitation.mismatch')}
            </span>
          )}
        </label>
        <ErrorBox error={error} />
        <button type="submit" className="primary">
          {t('invitation.submit')}
        </button>
      </form>
    </section>
  );
}
