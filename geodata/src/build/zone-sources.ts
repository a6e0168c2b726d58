import type { ZoneKind } from '../rings';

/** Where a zone's centre comes from: a place in `coast/hainan-places.geojson`, moved or not. */
export type ZoneAnchor =
  | { place: string }
  /** Seaward of the place along a geodesic. */
  | { place: string; bearingDeg: number; distanceM: number }
  /** The point of the full-resolution Hainan coastline nearest the place. */
  | { place: string; snapToCoast: true };

export interface ZoneSource {
  id: string;
  kind: ZoneKind;
  name: string;
  name_zh: string;
  at: ZoneAnchor;
  radiusM: number;
  /** True where the real position or extent is not public and ours only shows the idea. */
  illustrative: boolean;
  note?: string;
}

const ON_LAND_NOTE = 'The low-confidence port point falls inland of the GSHHG coast; the circle is centred on the nearest coast point.';
const ANCHORAGE_NOTE =
  'Illustrative: real anchorage areas are charted in Hainan MSA notices, not in our sources; placed seaward of the port.';
const STATION_NOTE =
  'Illustrative: enforcement station positions are not public; placed on the coast point nearest the named town.';
const BASE_NOTE = 'Illustrative: patrol base positions are not public; placed on the coast point nearest the port.';
const FISHING_NOTE = "Illustrative: the fishing port's own coordinate is not in our sources; placed on the coast point nearest the town.";

/**
 * Ports, anchorages, fishing ports, enforcement stations and patrol bases: the zones where normal
 * traffic is expected. Port circles are centred on the sourced port points (their confidence is carried
 * into the output); everything marked illustrative is placed by rule, not from a published position.
 */
export const ZONE_SOURCES: readonly ZoneSource[] = [
  { id: 'port-haikou-xiuying', kind: 'port', name: 'Haikou Xiuying Port', name_zh: '海口秀英港', at: { place: 'Haikou Xiuying Port' }, radiusM: 2000, illustrative: false },
  { id: 'port-haikou-xingang', kind: 'port', name: 'Haikou New Port', name_zh: '海口新港', at: { place: 'Haikou New Port', snapToCoast: true }, radiusM: 2000, illustrative: false, note: ON_LAND_NOTE },
  { id: 'port-yangpu', kind: 'port', name: 'Yangpu Port', name_zh: '洋浦港', at: { place: 'Yangpu Port' }, radiusM: 2500, illustrative: false },
  { id: 'port-basuo', kind: 'port', name: 'Basuo Port (Dongfang)', name_zh: '八所港', at: { place: 'Basuo Port (Dongfang)' }, radiusM: 2500, illustrative: false },
  { id: 'port-sanya-phoenix', kind: 'port', name: 'Sanya Phoenix Island Cruise Port', name_zh: '三亚凤凰岛国际邮轮港', at: { place: 'Sanya Phoenix Island International Cruise Port' }, radiusM: 1500, illustrative: false },
  { id: 'port-qinglan', kind: 'port', name: 'Qinglan Port (Wenchang)', name_zh: '清澜港', at: { place: 'Qinglan Port (Wenchang)', snapToCoast: true }, radiusM: 2500, illustrative: false, note: ON_LAND_NOTE },
  { id: 'port-haian', kind: 'port', name: "Hai'an Port (Xuwen, mainland)", name_zh: '徐闻海安港', at: { place: "Hai'an Port (Xuwen, Guangdong)" }, radiusM: 2000, illustrative: false, note: 'Mainland terminal of the Qiongzhou Strait ferries; outside the rings.' },

  { id: 'anchorage-haikou', kind: 'anchorage', name: 'Haikou anchorage', name_zh: '海口锚地', at: { place: 'Haikou Xiuying Port', bearingDeg: 350, distanceM: 6000 }, radiusM: 2500, illustrative: true, note: ANCHORAGE_NOTE },
  { id: 'anchorage-yangpu', kind: 'anchorage', name: 'Yangpu anchorage', name_zh: '洋浦锚地', at: { place: 'Yangpu Port', bearingDeg: 260, distanceM: 7000 }, radiusM: 3000, illustrative: true, note: ANCHORAGE_NOTE },
  { id: 'anchorage-basuo', kind: 'anchorage', name: 'Basuo anchorage', name_zh: '八所锚地', at: { place: 'Basuo Port (Dongfang)', bearingDeg: 270, distanceM: 7000 }, radiusM: 2500, illustrative: true, note: ANCHORAGE_NOTE },
  { id: 'anchorage-sanya', kind: 'anchorage', name: 'Sanya anchorage', name_zh: '三亚锚地', at: { place: 'Sanya Phoenix Island International Cruise Port', bearingDeg: 200, distanceM: 9000 }, radiusM: 2500, illustrative: true, note: ANCHORAGE_NOTE },
  { id: 'anchorage-qinglan', kind: 'anchorage', name: 'Qinglan anchorage', name_zh: '清澜锚地', at: { place: 'Qinglan Port (Wenchang)', bearingDeg: 135, distanceM: 9000 }, radiusM: 2500, illustrative: true, note: ANCHORAGE_NOTE },

  { id: 'fishing-port-boao', kind: 'fishing-port', name: "Bo'ao harbour", name_zh: '博鳌港', at: { place: "Bo'ao", snapToCoast: true }, radiusM: 1000, illustrative: true, note: FISHING_NOTE },
  { id: 'fishing-port-wanning', kind: 'fishing-port', name: 'Wanning harbour', name_zh: '万宁港北港', at: { place: 'Wanning (Wancheng)', snapToCoast: true }, radiusM: 1000, illustrative: true, note: FISHING_NOTE },
  { id: 'fishing-port-lingshui', kind: 'fishing-port', name: 'Lingshui harbour', name_zh: '陵水港', at: { place: 'Lingshui (county seat)', snapToCoast: true }, radiusM: 1000, illustrative: true, note: FISHING_NOTE },
  { id: 'fishing-port-baimajing', kind: 'fishing-port', name: 'Baimajing fishing port', name_zh: '白马井渔港', at: { place: 'Baimajing (Danzhou)', snapToCoast: true }, radiusM: 1000, illustrative: true, note: FISHING_NOTE },

  { id: 'station-haikou', kind: 'station', name: 'Haikou coast station', name_zh: '海口执法站', at: { place: 'Haikou Xiuying Port', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-wenchang', kind: 'station', name: 'Wenchang coast station', name_zh: '文昌执法站', at: { place: 'Qinglan Port (Wenchang)', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-qionghai', kind: 'station', name: "Qionghai (Bo'ao) coast station", name_zh: '琼海执法站', at: { place: "Bo'ao", snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-wanning', kind: 'station', name: 'Wanning coast station', name_zh: '万宁执法站', at: { place: 'Wanning (Wancheng)', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-lingshui', kind: 'station', name: 'Lingshui coast station', name_zh: '陵水执法站', at: { place: 'Lingshui (county seat)', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-sanya', kind: 'station', name: 'Sanya coast station', name_zh: '三亚执法站', at: { place: 'Sanya Phoenix Island International Cruise Port', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-dongfang', kind: 'station', name: 'Dongfang coast station', name_zh: '东方执法站', at: { place: 'Basuo Port (Dongfang)', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-danzhou', kind: 'station', name: 'Danzhou (Baimajing) coast station', name_zh: '儋州执法站', at: { place: 'Baimajing (Danzhou)', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },
  { id: 'station-yangpu', kind: 'station', name: 'Yangpu coast station', name_zh: '洋浦执法站', at: { place: 'Yangpu Port', snapToCoast: true }, radiusM: 500, illustrative: true, note: STATION_NOTE },

  { id: 'patrol-base-haikou', kind: 'patrol-base', name: 'Haikou patrol base', name_zh: '海口巡逻基地', at: { place: 'Haikou New Port', snapToCoast: true }, radiusM: 800, illustrative: true, note: BASE_NOTE },
  { id: 'patrol-base-sanya', kind: 'patrol-base', name: 'Sanya patrol base', name_zh: '三亚巡逻基地', at: { place: 'Sanya Phoenix Island International Cruise Port', bearingDeg: 90, distanceM: 2500 }, radiusM: 800, illustrative: true, note: 'Illustrative: patrol base positions are not public; placed 2.5 km east of the cruise port on Sanya Bay.' },
  { id: 'patrol-base-yangpu', kind: 'patrol-base', name: 'Yangpu patrol base', name_zh: '洋浦巡逻基地', at: { place: 'Yangpu Port', bearingDeg: 180, distanceM: 3000 }, radiusM: 800, illustrative: true, note: 'Illustrative: patrol base positions are not public; placed 3 km south of the port point.' },
];
