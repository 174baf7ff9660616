import { render, type TemplateResult } from 'lit-html';

/** A mounted page: its root element, and `dispose` to stop its timers, sockets and requests when left. */
export type Page = {
  el: HTMLElement;
  dispose: () => void;
  /** Called instead of a new page when only the route's parameters change (`#/plans?id=…`). */
  navigate?: (params: URLSearchParams) => void;
};

/** What a page's setup gets: re-render, cleanup registration and an abort signal for its requests. */
export type PageContext = {
  /** Re-renders the page's template in place (batched to one render per microtask). */
  update: () => void;
  /** Registers cleanup run once when the page is left. */
  onDispose: (fn: () => void) => void;
  /** Aborted when the page is left: pass it to fetches so late answers are dropped. */
  signal: AbortSignal;
  /** A repeating timer that stops with the page. */
  every: (ms: number, fn: () => void) => void;
  /** A one-off timer that is cancelled with the page. */
  after: (ms: number, fn: () => void) => void;
  /** True once the page has been left. */
  disposed: () => boolean;
};

/**
 * Builds a page from a setup function that returns its view. The view is a lit-html template, so each
 * update patches the DOM in place (keyed lists through `repeat`) instead of rebuilding it.
 */
export function definePage(
  setup: (
    ctx: PageContext,
  ) => (() => TemplateResult) | { view: () => TemplateResult; navigate?: (p: URLSearchParams) => void },
  attrs: { id?: string; className?: string } = {},
): Page {
  const el = document.createElement('section');
  if (attrs.id) el.id = attrs.id;
  if (attrs.className) el.className = attrs.className;
  const cleanups: (() => void)[] = [];
  const abort = new AbortController();
  let scheduled = false;
  let done = false;
  let view: (() => TemplateResult) | undefined = undefined;
  const draw = () => {
    scheduled = false;
    if (!done && view) render(view(), el);
  };
  const ctx: PageContext = {
    update: () => {
      if (scheduled || done) return;
      scheduled = true;
      queueMicrotask(draw);
    },
    onDispose: (fn) => void cleanups.push(fn),
    signal: abort.signal,
    every: (ms, fn) => {
      const t = setInterval(fn, ms);
      cleanups.push(() => clearInterval(t));
    },
    after: (ms, fn) => {
      const t = setTimeout(fn, ms);
      cleanups.push(() => clearTimeout(t));
    },
    disposed: () => done,
  };
  const made = setup(ctx);
  view = typeof made === 'function' ? made : made.view;
  draw();
  return {
    el,
    ...(typeof made === 'function' || !made.navigate ? {} : { navigate: made.navigate }),
    dispose: () => {
      if (done) return;
      done = true;
      abort.abort();
      for (const fn of cleanups.splice(0)) fn();
    },
  };
}
