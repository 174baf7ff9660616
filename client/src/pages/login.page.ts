import { html } from 'lit-html';
import type { User } from '../../../shared/schemas/user.schema.js';
import { api, ApiError, session } from '../api.js';
import { definePage, type Page } from '../page.js';

/** The login form; `onDone` runs once the session is saved. */
export function loginPage(onDone: () => void): Page {
  return definePage((ctx) => {
    let error = '';
    let busy = false;
    const submit = (ev: SubmitEvent) => {
      ev.preventDefault();
      const form = new FormData(ev.currentTarget as HTMLFormElement);
      error = '';
      busy = true;
      ctx.update();
      api<{ token: string; user: User }>('POST', '/auth/login', {
        username: (form.get('username') as string | null) ?? '',
        password: (form.get('password') as string | null) ?? '',
      }).then(
        (r) => {
          session.save(r.token, r.user);
          onDone();
        },
        (e: unknown) => {
          busy = false;
          error = e instanceof ApiError ? e.message : 'Could not reach the server.';
          ctx.update();
        },
      );
    };
    return () =>
      html`<form class="login card" @submit=${submit}>
        <h2>Log in</h2>
        <label>Username <input name="username" autocomplete="username" required /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit" ?disabled=${busy}>Log in</button>
        <p class="error" role="alert">${error}</p>
      </form>`;
  });
}
