import { Camunda8 } from '@camunda8/sdk';

export interface EngineAddresses {
  /** host:port of the gRPC gateway */
  grpcAddress: string;
  /** http://host:port of the REST gateway */
  restAddress: string;
}

/**
 * One SDK instance for the whole process. @camunda8/sdk is the maintained successor of the
 * deprecated zeebe-node; its gRPC client gives job streaming, its REST client the v2 API.
 */
export function createCamunda(addr: EngineAddresses): Camunda8 {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://${addr.grpcAddress}`,
    ZEEBE_REST_ADDRESS: addr.restAddress,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    // The SDK's own logger prints job variables on some errors; ours redacts personal data.
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    CAMUNDA_LOG_LEVEL: 'none',
  });
}

/**
 * Closes every SDK client. grpc-js tears its channels down asynchronously after close()
 * resolves; waiting a moment lets a stopping process (or a test run) end with nothing open.
 */
export async function closeCamunda(camunda: Camunda8, settleMs = 1200): Promise<void> {
  await camunda.closeAllClients();
  await new Promise((r) => setTimeout(r, settleMs));
}
