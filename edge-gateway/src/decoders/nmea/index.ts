export * from './checksum';
export * from './fields';
export * from './line';
export * from './tag-block';
