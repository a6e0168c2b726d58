import { LANGUAGES, bindAttribute, language, onLanguageChange, setLanguage, t } from './i18n';

/**
 * 中文 | English: two buttons, the current one pressed. Each language's name is written in that language, so
 * it is recognisable whichever is on screen.
 */
export function createLanguageToggle(): HTMLElement {
  const group = document.createElement('div');
  group.className = 'lang-toggle';
  group.setAttribute('role', 'group');
  bindAttribute(group, 'aria-label', 'lang.label');
  const buttons = LANGUAGES.map((lang) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.lang = lang;
    button.lang = lang;
    button.textContent = t(`lang.${lang}`);
    button.addEventListener('click', () => setLanguage(lang));
    group.append(button);
    return button;
  });
  const mark = () => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.lang === language()));
  };
  mark();
  onLanguageChange(mark);
  return group;
}
