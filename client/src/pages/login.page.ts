import type { User } from '../../../shared/schemas/user.schema.js';
import { api, ApiError, session } from '../api.js';
import { h } from '../dom.js';

export function loginPage(onDone: () => void): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'login card' },
    h('h2', {}, 'Log in'),
    h('label', {}, 'Username', username),
    h('label', {}, 'Password', password),
    h('button', { type: 'submit' }, 'Log in'),
    error,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    api<{ token: string; user: User }>('POST', '/auth/login', {
      username: username.value,
      password: password.value,
    }).then(
      (r) => {
        session.save(r.token, r.user);
        onDone();
      },
      (e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : 'Could not reach the server.';
      },
    );
  });
  return form;
}
