import { el } from './dom';

export type BannerTone = 'new-order' | 'info' | 'error';

/**
 * Messages across the top of a crew page: a new order stays until tapped (it must be seen), anything else
 * goes after a while. Text only.
 */
export class Banner {
  readonly element: HTMLElement;

  constructor() {
    this.element = el('div', 'banner-stack');
    this.element.setAttribute('role', 'alert');
    this.element.setAttribute('aria-live', 'assertive');
  }

  show(tone: BannerTone, title: string, detail?: string): void {
    // One new-order message at a time: the latest, counting those not yet seen.
    if (tone === 'new-order') {
      const earlier = this.element.querySelectorAll('[data-banner="new-order"]');
      const count = [...earlier].reduce((n, e) => n + Number((e as HTMLElement).dataset.count ?? 1), 1);
      for (const e of earlier) e.remove();
      if (count > 1) title = `${title} (${count})`;
      this.#show(tone, title, detail).dataset.count = String(count);
      return;
    }
    this.#show(tone, title, detail);
  }

  #show(tone: BannerTone, title: string, detail?: string): HTMLElement {
    const item = el('button', `banner banner-${tone}`);
    item.type = 'button';
    item.dataset.banner = tone;
    item.append(el('strong', undefined, title));
    if (detail) item.append(el('span', undefined, detail));
    item.append(el('span', 'banner-dismiss', '轻触关闭 Tap to dismiss'));
    item.addEventListener('click', () => item.remove());
    this.element.prepend(item);
    if (tone !== 'new-order') setTimeout(() => item.remove(), 8_000);
    while (this.element.children.length > 3) this.element.lastElementChild?.remove();
    return item;
  }

  /** Clears the new-order messages (the crew answered). */
  clearNewOrders(): void {
    for (const item of [...this.element.querySelectorAll('[data-banner="new-order"]')]) item.remove();
  }
}
