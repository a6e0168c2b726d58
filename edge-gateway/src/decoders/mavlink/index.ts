export * from '../result';
export * from './mavlink-frame';
export * from './mavlink-messages';
export * from './flight-mode';
export * from './drone-telemetry';
