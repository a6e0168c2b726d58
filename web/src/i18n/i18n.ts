import { en } from './messages-en';
import { zhCN, type MessageKey } from './messages-zh';

export type { MessageKey } from './messages-zh';

/** The console's languages; Chinese is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/** Every catalogue by language (the tests check they have the same keys and parameters). */
export const CATALOGUES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { 'zh-CN': zhCN, en };

/** Parameters of a message: `{name}` in the text is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number>>;

export type LanguageListener = (language: Language) => void;

const STORAGE_KEY = 'seawall.lang';

function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

let current: Language = storedLanguage();
const listeners = new Set<LanguageListener>();
/** Elements whose text (or an attribute) follows the language; weakly held, so removed elements can go. */
const bound = new Set<WeakRef<Element>>();
const renders = new WeakMap<Element, Map<string | null, () => string>>();

/** `{name}` placeholders of a message, sorted: the same in every language. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** Fills `{name}` placeholders; one without a parameter is left as it is. */
export function formatMessage(text: string, params?: MessageParams): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message `key` in the current language, with its parameters filled in. Plain text: set it with `textContent`. */
export function t(key: MessageKey, params?: MessageParams): string {
  return formatMessage(CATALOGUES[current][key] ?? CATALOGUES[DEFAULT_LANGUAGE][key] ?? key, params);
}

export function language(): Language {
  return current;
}

/** Switches the language: kept in this browser, `<html lang>` follows, every bound label and listener re-renders. */
export function setLanguage(next: Language): void {
  if (!isLanguage(next) || next === current) return;
  current = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode or storage full: the choice lasts until the page closes.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const ref of bound) {
    const el = ref.deref();
    if (!el) {
      bound.delete(ref);
      continue;
    }
    applyRenders(el);
  }
  for (const listener of listeners) {
    try {
      listener(next);
    } catch (error) {
      console.error('language listener failed', error);
    }
  }
}

/** Listen to language changes; returns the function that stops listening. */
export function onLanguageChange(listener: LanguageListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function applyRenders(el: Element): void {
  for (const [attribute, render] of renders.get(el) ?? []) {
    if (attribute === null) el.textContent = render();
    else el.setAttribute(attribute, render());
  }
}

function bind(el: Element, attribute: string | null, message: MessageKey | (() => string)): void {
  const render = typeof message === 'function' ? message : () => t(message);
  let map = renders.get(el);
  if (!map) {
    map = new Map();
    renders.set(el, map);
    bound.add(new WeakRef(el));
  }
  map.set(attribute, render);
  if (attribute === null) el.textContent = render();
  else el.setAttribute(attribute, render());
}

/**
 * Sets the element's text to a message now and again after every language change. Binding the same element
 * again replaces its message (a label that also follows a state, e.g. the link state).
 */
export function bindText(el: Element, message: MessageKey | (() => string)): void {
  bind(el, null, message);
}

/** As `bindText`, for an attribute (`aria-label`, `title`, `placeholder`). */
export function bindAttribute(el: Element, attribute: string, message: MessageKey | (() => string)): void {
  bind(el, attribute, message);
}
