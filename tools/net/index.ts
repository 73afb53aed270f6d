export * from './client-socket.ts';
export {
  EndpointError,
  LOOPBACK_BROADCAST,
  checkLoopback,
  familyOf,
  isLoopback,
  maxPayload,
  parseEndpoint,
  type Endpoint,
  type ParseOptions,
  type Purpose,
} from '../udp/address.ts';
export * from '../udp/random.ts';
export * from './format.ts';
export * from './impairments.ts';
export * from './payload.ts';
export * from './pipe.ts';
export * from './presets.ts';
export * from './proxy.ts';
export * from './send.ts';
export * from './session.ts';
export * from './units.ts';
