export * from './contract/wire.js';
