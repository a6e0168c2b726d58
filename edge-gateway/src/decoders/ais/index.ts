export * from '../result';
export * from './nmea-sentence';
export * from './sixbit';
export * from './ais-assembler';
export * from './decode-ais-payload';
export * from './decode-ais-text';
