import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { FieldError } from '../components/FieldError';
import { formatDateTime } from '../i18n';
import type {
  Account,
  AccountCreated,
  AccountPatchRequest,
  NewAccountRequest,
  NewServiceClientRequest,
  ServiceClientIssued,
  StaffRole as Role,
} from '../../contracts';
import { useSession } from '../session';
import { useBodies } from '../bodies';

const ROLES: Role[] = ['reviewer', 'supervisor', 'operator', 'analyst', 'administrator'];

/** Body checkboxes from the managed list (GET /api/v1/bodies), named in the screen's language. */
function BodyChoice({
  legend,
  value,
  onChange,
  error,
}: {
  legend: string;
  value: string[];
  onChange(bodies: string[]): void;
  error: unknown;
}) {
  const { bodies, bodyName } = useBodies();
  const message =
    error instanceof ApiError
      ? (error.field('bodies') ??
        error.problem.errors?.find((e) => e.field.startsWith('bodies.'))?.message)
      : undefined;
  return (
    <fieldset className="roles" data-field="bodies">
      <legend>{legend}</legend>
      {bodies.map((b) => (
        <label key={b.code} className="check">
          <input
            type="checkbox"
            value={b.code}
            checked={value.includes(b.code)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, b.code] : value.filter((x) => x !== b.code))
            }
          />
          {bodyName(b.code)}
        </label>
      ))}
      {message && <span className="field-error">{message}</span>}
    </fieldset>
  );
}

/** Role checkboxes in a fieldset (one tab stop each, named by the role). */
function RoleChoice({
  legend,
  value,
  onChange,
  error,
}: {
  legend: string;
  value: Role[];
  onChange(roles: Role[]): void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="roles">
      <legend>{legend}</legend>
      {ROLES.map((r) => (
        <label key={r} className="check">
          <input
            type="checkbox"
            checked={value.includes(r)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))
            }
          />
          {t(`roles.${r}`)}
        </label>
      ))}
      {error && <span className="field-error">{error}</span>}
    </fieldset>
  );
}

function CreateAccount({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useTranslation('admin');
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [bodies, setBodies] = useState<string[]>([]);
  const [how, setHow] = useState<'password' | 'invite'>('password');
  const [password, setPassword] = useState('');
  const [invitation, setInvitation] = useState<AccountCreated['invitation'] & { id: string }>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setInvitation(undefined);
    try {
      const created = await api<AccountCreated>('/api/v1/accounts', {
        body: {
          id,
          displayName: name,
          roles,
          bodies,
          ...(how === 'invite' ? { invite: true } : { password }),
        } satisfies NewAccountRequest,
      });
      if (created.invitation) setInvitation({ ...created.invitation, id: created.id });
      onCreated(id);
      setId('');
      setName('');
      setRoles([]);
      setBodies([]);
      setPassword('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="create-account">
      <h2 id="create-account">{t('create.title')}</h2>
      <label>
        {t('accounts.id')}
        <input value={id} required onChange={(e) => setId(e.target.value)} autoComplete="off" />
        <FieldError error={error} field="id" />
      </label>
      <label>
        {t('accounts.name')}
        <input value={name} required onChange={(e) => setName(e.target.value)} />
        <FieldError error={error} field="displayName" />
      </label>
      <RoleChoice
        legend={t('accounts.roles')}
        value={roles}
        onChange={setRoles}
        error={error instanceof ApiError ? error.field('roles') : undefined}
      />
      <BodyChoice legend={t('accounts.bodies')} value={bodies} onChange={setBodies} error={error} />
      <fieldset className="roles">
        <legend>{t('create.how')}</legend>
        <label className="check">
          <input
            type="radio"
            name="how"
            checked={how === 'password'}
            onChange={() => setHow('password')}
          />
          {t('create.withPassword')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="how"
            checked={how === 'invite'}
            onChange={() => setHow('invite')}
          />
          {t('create.withInvitation')}
        </label>
      </fieldset>
      {how === 'password' && (
        <label>
          {t('create.password')}
          <input
            type="password"
            value={password}
            required
            autoComplete="new-password"
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldError error={error} field="password" />
        </label>
      )}
      <ErrorBox error={error} />
      {invitation && (
        <div role="status" className="token-once">
          <p>{t('create.invitationOnce', { expires: formatDateTime(invitation.expiresAt) })}</p>
          <label>
            {t('create.invitationLink', { id: invitation.id })}
            <input readOnly value={invitation.url} onFocus={(e) => e.target.select()} />
          </label>
        </div>
      )}
      <button type="submit" className="primary">
        {t('create.submit')}
      </button>
    </form>
  );
}

function EditAccount({
  account,
  onChanged,
  onClose,
}: {
  account: Account;
  onChanged(message: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation('admin');
  const { t: common } = useTranslation();
  const [name, setName] = useState(account.displayName);
  const [roles, setRoles] = useState<Role[]>(account.roles);
  const [bodies, setBodies] = useState<string[]>(account.bodies);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const patch = async (body: AccountPatchRequest, message: string) => {
    setError(undefined);
    try {
      await api(`/api/v1/accounts/${encodeURIComponent(account.id)}`, { method: 'PATCH', body });
      onChanged(message);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel" aria-labelledby="edit-account">
      <h2 id="edit-account" tabIndex={-1} ref={(h) => h?.focus()}>
        {t('edit.title', { id: account.id })}
      </h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void patch({ displayName: name, roles, bodies }, t('edit.saved'));
        }}
      >
        <label>
          {t('accounts.name')}
          <input value={name} required onChange={(e) => setName(e.target.value)} />
        </label>
        <RoleChoice legend={t('accounts.roles')} value={roles} onChange={setRoles} />
        <BodyChoice
          legend={t('accounts.bodies')}
          value={bodies}
          onChange={setBodies}
          error={error}
        />
        <button type="submit" className="primary">
          {common('save')}
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void patch({ password }, t('edit.passwordReset')).then(() => setPassword(''));
        }}
      >
        <label>
          {t('edit.newPassword')}
          <input
            type="password"
            value={password}
            required
            autoComplete="new-password"
            onChange={(e) => setPassword(e.target.value)}
          />
          <FieldError error={error} field="password" />
        </label>
        <button type="submit">{t('edit.resetPassword')}</button>
      </form>
      <ErrorBox error={error} />
      <button type="button" onClick={onClose}>
        {t('edit.close')}
      </button>
    </section>
  );
}

function ServiceClients() {
  const { t } = useTranslation('admin');
  const [id, setId] = useState('');
  const [role, setRole] = useState<'portal' | 'registry'>('portal');
  const [issued, setIssued] = useState<ServiceClientIssued>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setIssued(undefined);
    try {
      setIssued(
        await api<ServiceClientIssued>('/api/v1/service-clients', {
          body: { id, roles: [role] } satisfies NewServiceClientRequest,
        }),
      );
      setId('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="service-clients">
      <h2 id="service-clients">{t('clients.title')}</h2>
      <label>
        {t('clients.id')}
        <input value={id} required onChange={(e) => setId(e.target.value)} autoComplete="off" />
        <FieldError error={error} field="id" />
      </label>
      <label>
        {t('clients.role')}
        <select value={role} onChange={(e) => setRole(e.target.value as 'portal' | 'registry')}>
          <option value="portal">{t('clients.portal')}</option>
          <option value="registry">{t('clients.registry')}</option>
        </select>
      </label>
      <button type="submit">{t('clients.submit')}</button>
      <ErrorBox error={error} />
      {issued && (
        <div role="status" className="token-once">
          <p>{t('clients.tokenOnce')}</p>
          <label>
            {t('clients.token', { id: issued.id })}
            <input readOnly value={issued.token} onFocus={(e) => e.target.select()} />
          </label>
        </div>
      )}
    </form>
  );
}

export function Accounts() {
  const { t } = useTranslation('admin');
  const { bodyName } = useBodies();
  const { t: common } = useTranslation();
  const { user } = useSession();
  const [accounts, setAccounts] = useState<Account[]>();
  const [editing, setEditing] = useState<Account>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const load = useCallback(() => {
    api<Account[]>('/api/v1/accounts').then(setAccounts, setError);
  }, []);
  useEffect(load, [load]);
  const changed = (m: string) => {
    setMessage(m);
    setEditing(undefined);
    load();
  };
  const setActive = async (a: Account, active: boolean) => {
    setError(undefined);
    try {
      await api(`/api/v1/accounts/${encodeURIComponent(a.id)}`, {
        method: 'PATCH',
        body: { active } satisfies AccountPatchRequest,
      });
      changed(`${a.id}: ${active ? t('accounts.active') : t('accounts.inactive')}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>{t('title')}</h1>
      <p role="status">{message}</p>
      <ErrorBox error={error} />
      {!accounts ? (
        <p>{common('loading')}</p>
      ) : (
        <table>
          <caption>{t('accounts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.id')}</th>
              <th scope="col">{t('accounts.name')}</th>
              <th scope="col">{t('accounts.roles')}</th>
              <th scope="col">{t('accounts.bodies')}</th>
              <th scope="col">{t('accounts.status')}</th>
              <th scope="col">{t('accounts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.length === 0 && (
              <tr>
                <td colSpan={6}>{t('accounts.empty')}</td>
              </tr>
            )}
            {accounts.map((a) => (
              <tr key={a.id} data-account={a.id}>
                <th scope="row">{a.id}</th>
                <td>{a.displayName}</td>
                <td>{a.roles.map((r) => common(`roles.${r}`)).join(', ')}</td>
                <td>{a.bodies.map(bodyName).join(', ') || '—'}</td>
                <td>{a.active ? t('accounts.active') : t('accounts.inactive')}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => setEditing(a)}
                    aria-label={`${t('accounts.edit')}: ${a.id}`}
                  >
                    {t('accounts.edit')}
                  </button>{' '}
                  {a.id !== user?.id && (
                    <button
                      type="button"
                      className={a.active ? 'danger' : undefined}
                      onClick={() => void setActive(a, !a.active)}
                      aria-label={`${a.active ? t('accounts.deactivate') : t('accounts.activate')}: ${a.id}`}
                    >
                      {a.active ? t('accounts.deactivate') : t('accounts.activate')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && (
        <EditAccount
          key={editing.id}
          account={editing}
          onChanged={changed}
          onClose={() => setEditing(undefined)}
        />
      )}
      <CreateAccount onCreated={(id) => changed(t('create.created', { id }))} />
      <ServiceClients />
    </>
  );
}
