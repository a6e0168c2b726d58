export * from './radar-sentence';
