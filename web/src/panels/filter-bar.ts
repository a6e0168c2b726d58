import {
  RINGS,
  RISK_LEVELS,
  TRACK_KINDS,
  type RiskLevel,
  type Ring,
  type Track,
  type TrackId,
  type TrackKind,
} from '@seawall/contracts';
import { cleanSensorText, formatMmsi, formatTrackTitle } from '../format/track-format';
import { bindAttribute, bindText, onLanguageChange, t, type MessageKey } from '../i18n/i18n';
import { cssColor, riskColor } from '../map/risk-colors';
import '../styles/panels-extra.css';

/** A track's level as the filter sees it: one of the four, or `none` (no open alert). */
export type LevelChoice = RiskLevel | 'none';
export const LEVEL_CHOICES: readonly LevelChoice[] = [...RISK_LEVELS, 'none'];

/**
 * Which tracks the map shows. Each list narrows the picture to the values it
 * holds; an empty list does not narrow at all (no ring chosen = every ring).
 */
export interface TrackFilter {
  rings: readonly Ring[];
  levels: readonly LevelChoice[];
  kinds: readonly TrackKind[];
}

/** The filter that lets every track through. */
export const NO_FILTER: TrackFilter = Object.freeze({ rings: [], levels: [], kinds: [] });

/** True when the filter narrows nothing, so a layer can skip calling `matchesFilter`. */
export function isFilterEmpty(filter: TrackFilter): boolean {
  return filter.rings.length === 0 && filter.levels.length === 0 && filter.kinds.length === 0;
}

/**
 * Whether `track` passes `filter`. A track whose ring is not known yet (null)
 * passes only when no ring is chosen.
 */
export function matchesFilter(track: Pick<Track, 'ring' | 'level' | 'kind'>, filter: TrackFilter): boolean {
  if (filter.rings.length > 0 && (track.ring === null || !filter.rings.includes(track.ring))) return false;
  if (filter.levels.length > 0 && !filter.levels.includes(track.level ?? 'none')) return false;
  if (filter.kinds.length > 0 && !filter.kinds.includes(track.kind)) return false;
  return true;
}

/** Which field of a track a search matched, best first. */
export type SearchField = 'mmsi' | 'unit' | 'callsign' | 'name' | 'id';

export interface TrackSearchHit {
  track: Track;
  field: SearchField;
  /** 0 the whole field, 1 its start (or a word's start), 2 anywhere inside it. */
  quality: 0 | 1 | 2;
}

/** Results shown under the search box at most. */
export const SEARCH_LIMIT = 20;

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

function matchQuality(value: string | null, query: string): 0 | 1 | 2 | null {
  if (value === null || value === '') return null;
  if (value === query) return 0;
  if (value.startsWith(query) || value.includes(` ${query}`)) return 1;
  return value.includes(query) ? 2 : null;
}

/** A track id matches from its start or the start of one of its `:` parts (`rdr-haikou` finds `radar:rdr-haikou:7`). */
function idMatchQuality(id: string, query: string): 0 | 1 | null {
  if (id === query) return 0;
  return id.split(':').some((_, i, parts) => parts.slice(i).join(':').startsWith(query)) ? 1 : null;
}

/** The unit id in a patrol unit's track id (`unit:pb-01` → `pb-01`). */
function unitIdOf(track: Track): string | null {
  return track.kind === 'unit' && track.id.startsWith('unit:') ? track.id.slice('unit:'.length) : null;
}

const FIELD_ORDER: Readonly<Record<SearchField, number>> = { mmsi: 0, unit: 1, callsign: 2, name: 3, id: 4 };

/**
 * The tracks that match what the operator has typed so far: MMSI (digits,
 * spaces ignored, from the start), unit id, call sign and name (anywhere,
 * case- and width-insensitive), or the track id (from the start of one of its
 * parts). Whole matches come first,
 * then matches at the start of a field or word, then the rest; ties by field
 * (MMSI, unit, call sign, name, id) and then by title. An empty query finds nothing.
 */
export function searchTracks(tracks: readonly Track[], query: string, limit = SEARCH_LIMIT): TrackSearchHit[] {
  const q = normalize(query);
  if (q === '') return [];
  const digits = q.replace(/\s+/gu, '');
  const isDigits = /^\d+$/u.test(digits);
  const hits: TrackSearchHit[] = [];
  for (const track of tracks) {
    let best: TrackSearchHit | null = null;
    const consider = (field: SearchField, quality: 0 | 1 | 2 | null): void => {
      if (quality === null) return;
      if (!best || quality < best.quality || (quality === best.quality && FIELD_ORDER[field] < FIELD_ORDER[best.field])) {
        best = { track, field, quality };
      }
    };
    if (isDigits && track.mmsi !== null) {
      const mmsi = String(track.mmsi);
      // An MMSI is typed from its start; a fragment from the middle finds unrelated ships.
      consider('mmsi', mmsi === digits || formatMmsi(track.mmsi) === digits ? 0 : mmsi.startsWith(digits) ? 1 : null);
    }
    const unitId = unitIdOf(track);
    consider('unit', matchQuality(unitId === null ? null : normalize(unitId), q));
    const callsign = cleanSensorText(track.callsign);
    consider('callsign', matchQuality(callsign === null ? null : normalize(callsign), q));
    const name = cleanSensorText(track.name);
    consider('name', matchQuality(name === null ? null : normalize(name), q));
    consider('id', idMatchQuality(normalize(track.id), q));
    if (best) hits.push(best);
  }
  hits.sort(
    (a, b) =>
      a.quality - b.quality ||
      FIELD_ORDER[a.field] - FIELD_ORDER[b.field] ||
      formatTrackTitle(a.track).localeCompare(formatTrackTitle(b.track)) ||
      a.track.id.localeCompare(b.track.id),
  );
  return hits.slice(0, limit);
}

export type FilterListener = (filter: TrackFilter) => void;
export type PickListener = (trackId: TrackId) => void;

export interface FilterBarOptions {
  /** The tracks the search box looks through (the store's `list`). */
  tracks: () => readonly Track[];
}

const SEARCH_FIELD_LABELS: Readonly<Record<SearchField, MessageKey>> = {
  mmsi: 'field.mmsi',
  unit: 'field.unit',
  callsign: 'field.callsign',
  name: 'field.name',
  id: 'field.id',
};

/** The name shown for a result, in the console's language: the ship's own name, else its kind and id. */
function trackTitle(track: Pick<Track, 'name' | 'id' | 'kind'>): string {
  return cleanSensorText(track.name) ?? `${t(`kind.${track.kind}`)} ${track.id}`;
}

interface ChipGroup<T extends string> {
  key: keyof TrackFilter;
  label: MessageKey;
  values: readonly T[];
  /** The chip's text, in the console's language. */
  chip: (value: T) => string;
  swatch?: (value: T) => string;
}

/**
 * The bar over the chart: chips that filter by ring, level and source, and a
 * search box whose results (as you type) pick a track. It decides nothing
 * about the map: listeners get the filter (apply it with `matchesFilter`) and
 * the picked track id.
 */
export class FilterBar {
  readonly element: HTMLElement;
  readonly #options: FilterBarOptions;
  readonly #changeListeners = new Set<FilterListener>();
  readonly #pickListeners = new Set<PickListener>();
  readonly #chips: HTMLButtonElement[] = [];
  readonly #input: HTMLInputElement;
  readonly #results: HTMLUListElement;
  readonly #clear: HTMLButtonElement;
  #filter: TrackFilter = NO_FILTER;
  #hits: TrackSearchHit[] = [];
  #active = -1;
  /** Chip texts and tooltips, redone when the language changes. */
  readonly #relabels: (() => void)[] = [];
  readonly #stopLanguage: () => void;

  constructor(container: HTMLElement, options: FilterBarOptions) {
    this.#options = options;
    this.element = document.createElement('div');
    this.element.className = 'filter-bar';
    this.element.setAttribute('role', 'toolbar');
    bindAttribute(this.element, 'aria-label', 'filter.label');
    this.element.dataset.role = 'filter-bar';

    const search = document.createElement('div');
    search.className = 'filter-search';
    this.#input = document.createElement('input');
    this.#input.type = 'search';
    this.#input.className = 'filter-search-input';
    bindAttribute(this.#input, 'placeholder', 'filter.searchPlaceholder');
    bindAttribute(this.#input, 'aria-label', 'filter.search');
    this.#input.setAttribute('role', 'combobox');
    this.#input.setAttribute('aria-autocomplete', 'list');
    this.#input.setAttribute('aria-expanded', 'false');
    this.#input.autocomplete = 'off';
    this.#input.spellcheck = false;
    this.#input.dataset.role = 'track-search';
    this.#results = document.createElement('ul');
    this.#results.className = 'filter-search-results';
    this.#results.id = `filter-search-results-${Math.random().toString(36).slice(2, 8)}`;
    this.#results.setAttribute('role', 'listbox');
    this.#results.dataset.role = 'search-results';
    this.#results.hidden = true;
    this.#input.setAttribute('aria-controls', this.#results.id);
    search.append(this.#input, this.#results);
    this.element.append(search);

    this.element.append(
      this.#buildGroup<Ring>({
        key: 'rings',
        label: 'field.ring',
        values: RINGS,
        chip: (ring) => t(`ring.${ring}`),
      }),
      this.#buildGroup<LevelChoice>({
        key: 'levels',
        label: 'field.level',
        values: LEVEL_CHOICES,
        chip: (level) => t(`level.${level}`),
        swatch: (level) => cssColor(riskColor(level === 'none' ? null : level)),
      }),
      this.#buildGroup<TrackKind>({
        key: 'kinds',
        label: 'field.kind',
        values: TRACK_KINDS,
        chip: (kind) => t(`kind.${kind}`),
      }),
    );

    this.#clear = document.createElement('button');
    this.#clear.type = 'button';
    this.#clear.className = 'filter-clear';
    bindText(this.#clear, 'filter.clear');
    bindAttribute(this.#clear, 'title', 'filter.showAll');
    this.#clear.dataset.role = 'filter-clear';
    this.#clear.disabled = true;
    this.#clear.addEventListener('click', () => this.setFilter(NO_FILTER));
    this.element.append(this.#clear);

    this.#input.addEventListener('input', () => this.#search());
    this.#input.addEventListener('focus', () => this.#search());
    this.#input.addEventListener('keydown', (event) => this.#onKey(event));
    // A result is picked on mousedown, before the input's blur would hide the list.
    this.#results.addEventListener('mousedown', (event) => {
      const item = (event.target as Element | null)?.closest<HTMLElement>('[data-track-id]');
      if (!item) return;
      event.preventDefault();
      this.#pick(item.dataset.trackId as TrackId);
    });
    this.#input.addEventListener('blur', () => this.#closeResults());
    container.append(this.element);
    this.#stopLanguage = onLanguageChange(() => {
      for (const relabel of this.#relabels) relabel();
      // Open results show field names and titles: draw them again (the choice stays).
      if (!this.#results.hidden) this.#renderResults();
    });
  }

  /** The filter now in force. */
  get filter(): TrackFilter {
    return this.#filter;
  }

  /** Replace the filter (the chips follow) and tell the listeners. */
  setFilter(filter: TrackFilter): void {
    this.#filter = Object.freeze({ rings: [...filter.rings], levels: [...filter.levels], kinds: [...filter.kinds] });
    for (const chip of this.#chips) {
      const values = this.#filter[chip.dataset.group as keyof TrackFilter] as readonly string[];
      chip.setAttribute('aria-pressed', String(values.includes(chip.dataset.value ?? '')));
    }
    this.#clear.disabled = isFilterEmpty(this.#filter);
    for (const listener of this.#changeListeners) {
      try {
        listener(this.#filter);
      } catch (error) {
        console.error('filter listener failed', error);
      }
    }
  }

  /** Listen to filter changes; returns the function that stops listening. */
  onChange(listener: FilterListener): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Listen to tracks picked from the search results; returns the function that stops listening. */
  onPick(listener: PickListener): () => void {
    this.#pickListeners.add(listener);
    return () => this.#pickListeners.delete(listener);
  }

  /** The tracks changed: re-run an open search so its results stay current. */
  refresh(): void {
    if (this.#results.hidden) return;
    const activeId = this.#hits[this.#active]?.track.id;
    const hits = searchTracks(this.#options.tracks(), this.#input.value);
    const same = hits.length === this.#hits.length && hits.every((h, i) => h.track.id === this.#hits[i]!.track.id);
    this.#hits = hits;
    const kept = hits.findIndex((h) => h.track.id === activeId);
    this.#active = kept >= 0 ? kept : hits.length > 0 ? 0 : -1;
    // Live updates must not rebuild the list under the pointer (a click would land on a row already
    // replaced) nor move the keyboard's choice: the same hits are updated in place.
    if (same) this.#updateResults();
    else this.#renderResults();
  }

  destroy(): void {
    this.#changeListeners.clear();
    this.#pickListeners.clear();
    this.#stopLanguage();
    this.element.remove();
  }

  #buildGroup<T extends string>(group: ChipGroup<T>): HTMLElement {
    const el = document.createElement('div');
    el.className = 'filter-group';
    el.setAttribute('role', 'group');
    bindAttribute(el, 'aria-label', group.label);
    el.dataset.group = group.key;
    const label = document.createElement('span');
    label.className = 'filter-group-label';
    bindText(label, group.label);
    el.append(label);
    for (const value of group.values) {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'filter-chip';
      chip.dataset.group = group.key;
      chip.dataset.value = value;
      chip.setAttribute('aria-pressed', 'false');
      if (group.swatch) {
        const swatch = document.createElement('span');
        swatch.className = 'filter-chip-swatch';
        swatch.style.backgroundColor = group.swatch(value);
        chip.append(swatch);
      }
      // A text node after the swatch: the chip's whole text would take the swatch with it.
      const text = document.createTextNode('');
      chip.append(text);
      const relabel = (): void => {
        text.data = group.chip(value);
        chip.title = t('filter.chipTitle', { group: t(group.label), value: text.data });
      };
      relabel();
      this.#relabels.push(relabel);
      chip.addEventListener('click', () => this.#toggle(group.key, value));
      this.#chips.push(chip);
      el.append(chip);
    }
    return el;
  }

  #toggle(key: keyof TrackFilter, value: string): void {
    const current = this.#filter[key] as readonly string[];
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    this.setFilter({ ...this.#filter, [key]: next });
  }

  #search(): void {
    this.#hits = searchTracks(this.#options.tracks(), this.#input.value);
    this.#active = this.#hits.length > 0 ? 0 : -1;
    this.#renderResults();
  }

  #updateResults(): void {
    const items = this.#results.querySelectorAll<HTMLElement>('li[data-track-id]');
    items.forEach((item, index) => {
      const hit = this.#hits[index];
      if (!hit) return;
      item.querySelector<HTMLElement>('.filter-chip-swatch')!.style.backgroundColor = cssColor(riskColor(hit.track.level));
      item.querySelector('.filter-search-title')!.textContent = trackTitle(hit.track);
      item.querySelector('.filter-search-detail')!.textContent = `${t(SEARCH_FIELD_LABELS[hit.field])} ${this.#fieldText(hit)}`;
    });
    this.#markActive();
  }

  #renderResults(): void {
    const query = this.#input.value.trim();
    this.#results.replaceChildren();
    if (query === '') {
      this.#closeResults();
      return;
    }
    if (this.#hits.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'filter-search-empty';
      empty.textContent = t('filter.noMatch');
      this.#results.append(empty);
    }
    this.#hits.forEach((hit, index) => {
      const item = document.createElement('li');
      item.className = 'filter-search-item';
      item.setAttribute('role', 'option');
      item.id = `${this.#results.id}-${index}`;
      item.dataset.trackId = hit.track.id;
      item.setAttribute('aria-selected', String(index === this.#active));
      const swatch = document.createElement('span');
      swatch.className = 'filter-chip-swatch';
      swatch.style.backgroundColor = cssColor(riskColor(hit.track.level));
      const title = document.createElement('span');
      title.className = 'filter-search-title';
      title.textContent = trackTitle(hit.track);
      const detail = document.createElement('span');
      detail.className = 'filter-search-detail';
      detail.textContent = `${t(SEARCH_FIELD_LABELS[hit.field])} ${this.#fieldText(hit)}`;
      item.append(swatch, title, detail);
      this.#results.append(item);
    });
    this.#results.hidden = false;
    this.#input.setAttribute('aria-expanded', 'true');
    this.#markActive();
  }

  #fieldText({ track, field }: TrackSearchHit): string {
    switch (field) {
      case 'mmsi':
        return formatMmsi(track.mmsi);
      case 'unit':
        return track.id.slice('unit:'.length);
      case 'callsign':
        return cleanSensorText(track.callsign) ?? '';
      case 'name':
        return track.mmsi !== null ? formatMmsi(track.mmsi) : track.id;
      case 'id':
        return track.id;
    }
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.#hits.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.#active = (this.#active + step + this.#hits.length) % this.#hits.length;
      this.#markActive();
    } else if (event.key === 'Enter') {
      const hit = this.#hits[this.#active];
      if (hit) {
        event.preventDefault();
        this.#pick(hit.track.id);
      }
    } else if (event.key === 'Escape') {
      // Keep Escape from also letting go of the pinned track card.
      event.stopPropagation();
      if (this.#results.hidden) this.#input.value = '';
      this.#closeResults();
    }
  }

  #markActive(): void {
    const items = this.#results.querySelectorAll<HTMLElement>('.filter-search-item');
    items.forEach((item, index) => item.setAttribute('aria-selected', String(index === this.#active)));
    const active = items[this.#active];
    if (active) {
      this.#input.setAttribute('aria-activedescendant', active.id);
      active.scrollIntoView({ block: 'nearest' });
    } else {
      this.#input.removeAttribute('aria-activedescendant');
    }
  }

  #closeResults(): void {
    this.#results.hidden = true;
    this.#input.setAttribute('aria-expanded', 'false');
    this.#input.removeAttribute('aria-activedescendant');
  }

  #pick(trackId: TrackId): void {
    this.#closeResults();
    for (const listener of this.#pickListeners) {
      try {
        listener(trackId);
      } catch (error) {
        console.error('pick listener failed', error);
      }
    }
  }
}
