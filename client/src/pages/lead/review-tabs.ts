import { type TemplateResult } from 'lit-html';
import type { Action, Resource } from '../../../../shared/auth/permissions.js';
import { tabNav } from '../../tabs.js';

/** The borough lead's review screens: one top-bar entry ("Review"), these tabs inside it. */
export const REVIEW_TABS = [
  { path: 'authorisations', title: 'Authorisations and what-if', resource: 'reports', action: 'read' },
  { path: 'cover', title: 'Cover by hour', resource: 'reports', action: 'read' },
  { path: 'cliff', title: 'Authorisation cliff', resource: 'reports', action: 'read' },
] as const satisfies readonly { path: string; title: string; resource: Resource; action: Action }[];
export type ReviewPath = (typeof REVIEW_TABS)[number]['path'];

/** The sub-navigation of the review screens, with `current` marked. */
export const reviewTabs = (current: ReviewPath): TemplateResult => tabNav('Review', REVIEW_TABS, current);
