import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUES, DEFAULT_LANGUAGE, LANGUAGES, formatMessage, language, onLanguageChange, placeholdersOf, setLanguage, t } from './i18n';
import { etaMinutes, formatDistance, formatEta, shortOrderId } from './format';

afterEach(() => setLanguage(DEFAULT_LANGUAGE));

describe('the message catalogues', () => {
  const catalogue = (lang: (typeof LANGUAGES)[number]): Readonly<Record<string, string>> => CATALOGUES[lang];
  const reference = Object.keys(catalogue(DEFAULT_LANGUAGE)).sort();

  it.each(LANGUAGES)('%s has exactly the keys of the Chinese catalogue', (lang) => {
    expect(Object.keys(catalogue(lang)).sort()).toEqual(reference);
  });

  it.each(LANGUAGES)('%s has no empty message', (lang) => {
    const empty = Object.entries(catalogue(lang)).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)('%s uses the same {placeholders} as the Chinese message, key by key', (lang) => {
    const differing = reference.filter(
      (key) => placeholdersOf(catalogue(lang)[key] ?? '').join() !== placeholdersOf(catalogue(DEFAULT_LANGUAGE)[key] ?? '').join(),
    );
    expect(differing).toEqual([]);
  });

  it('the English catalogue really is translated: no Chinese characters except the language name', () => {
    const withHan = Object.entries(CATALOGUES.en).filter(([key, text]) => key !== 'lang.zh-CN' && /\p{Script=Han}/u.test(text));
    expect(withHan).toEqual([]);
  });
});

describe('t()', () => {
  it('speaks Chinese by default and English once switched, telling its listeners', () => {
    expect(language()).toBe('zh-CN');
    expect(t('action.ack')).toBe('确认');
    const heard: string[] = [];
    const stop = onLanguageChange((lang) => heard.push(lang));
    setLanguage('en');
    expect(t('action.ack')).toBe('Acknowledge');
    expect(heard).toEqual(['en']);
    stop();
  });

  it('fills parameters as plain text and leaves a missing one visible', () => {
    setLanguage('en');
    expect(t('dispatch.forTrack', { name: '<img src=x onerror=alert(1)>' })).toBe('Track: <img src=x onerror=alert(1)>');
    expect(formatMessage('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

describe('dispatch formatting', () => {
  it('gives distances in nautical miles and kilometres', () => {
    setLanguage('en');
    expect(formatDistance(18_520)).toBe('10.0 nm · 18.5 km');
    setLanguage('zh-CN');
    expect(formatDistance(1852)).toBe('1.0 海里 · 1.9 公里');
    expect(formatDistance(null)).toBe('—');
  });

  it('rounds an ETA up to whole minutes, never below one', () => {
    expect(etaMinutes(1)).toBe(1);
    expect(etaMinutes(60_000)).toBe(1);
    expect(etaMinutes(60_001)).toBe(2);
    setLanguage('en');
    expect(formatEta(25 * 60_000 + 10)).toBe('26 min');
    expect(formatEta(Number.NaN)).toBe('—');
  });

  it('shortens order ids to their first UUID block', () => {
    expect(shortOrderId('ord-3f2a9c1e-1b2c-4d5e-8f90-123456789abc')).toBe('ord-3f2a9c1e');
    expect(shortOrderId('something-else')).toBe('something-else');
  });
});
