import { bindText, type MessageKey } from '../i18n/i18n';
import { login, saveSession, type Session } from './session';

/**
 * The login form: the whole page until someone signs in. Every text is set with textContent; nothing the
 * server or the user typed becomes HTML.
 */
export function showLogin(root: HTMLElement, onSignedIn: (session: Session) => void): void {
  const form = document.createElement('form');
  form.id = 'login';
  form.className = 'login';
  form.noValidate = true;
  const title = document.createElement('h1');
  bindText(title, 'login.title');
  const field = (name: string, label: MessageKey, type: string, autocomplete: AutoFill) => {
    const wrap = document.createElement('label');
    const caption = document.createElement('span');
    bindText(caption, label);
    const input = document.createElement('input');
    input.name = name;
    input.type = type;
    input.required = true;
    input.autocomplete = autocomplete;
    wrap.append(caption, input);
    return { wrap, input };
  };
  const user = field('username', 'login.username', 'text', 'username');
  const pass = field('password', 'login.password', 'password', 'current-password');
  const error = document.createElement('p');
  error.className = 'login-error';
  error.setAttribute('role', 'alert');
  const submit = document.createElement('button');
  submit.type = 'submit';
  bindText(submit, 'login.submit');
  form.append(title, user.wrap, pass.wrap, error, submit);
  root.replaceChildren(form);
  user.input.focus();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    login(user.input.value.trim(), pass.input.value)
      .then((session) => {
        saveSession(session);
        form.remove();
        onSignedIn(session);
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
        pass.input.select();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
}
