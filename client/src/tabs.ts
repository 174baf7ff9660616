import { html, type TemplateResult } from 'lit-html';
import { can, type Action, type Resource } from '../../shared/auth/permissions.js';
import { session } from './api.js';

/** One sub-page of a top-bar group (reference data, review, Taser use), shown when `can()` allows. */
export type Tab = { path: string; title: string; resource: Resource; action: Action };

/** A group's sub-navigation with `current` marked; `className` adds classes (e.g. `no-print`). */
export const tabNav = (label: string, tabs: readonly Tab[], current: string, className = ''): TemplateResult =>
  html`<nav class="tabs ${className}" aria-label=${label}>
    ${tabs
      .filter((t) => {
        const u = session.user();
        return !!u && can(u.role, t.resource, t.action);
      })
      .map(
        (t) =>
          html`<a
            href="#/${t.path}"
            class=${t.path === current ? 'active' : ''}
            aria-current=${t.path === current ? 'page' : 'false'}
            >${t.title}</a
          >`,
      )}
  </nav>`;
