import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Account as _stepway_v1_Account, Account__Output as _stepway_v1_Account__Output } from './stepway/v1/Account';
import type { AdminServiceClient as _stepway_v1_AdminServiceClient, AdminServiceDefinition as _stepway_v1_AdminServiceDefinition } from './stepway/v1/AdminService';
import type { ApiKey as _stepway_v1_ApiKey, ApiKey__Output as _stepway_v1_ApiKey__Output } from './stepway/v1/ApiKey';
import type { CreateAccountRequest as _stepway_v1_CreateAccountRequest, CreateAccountRequest__Output as _stepway_v1_CreateAccountRequest__Output } from './stepway/v1/CreateAccountRequest';
import type { CreateAccountResponse as _stepway_v1_CreateAccountResponse, CreateAccountResponse__Output as _stepway_v1_CreateAccountResponse__Output } from './stepway/v1/CreateAccountResponse';
import type { CreateKeyRequest as _stepway_v1_CreateKeyRequest, CreateKeyRequest__Output as _stepway_v1_CreateKeyRequest__Output } from './stepway/v1/CreateKeyRequest';
import type { CreateKeyResponse as _stepway_v1_CreateKeyResponse, CreateKeyResponse__Output as _stepway_v1_CreateKeyResponse__Output } from './stepway/v1/CreateKeyResponse';
import type { GetQuotasRequest as _stepway_v1_GetQuotasRequest, GetQuotasRequest__Output as _stepway_v1_GetQuotasRequest__Output } from './stepway/v1/GetQuotasRequest';
import type { GetQuotasResponse as _stepway_v1_GetQuotasResponse, GetQuotasResponse__Output as _stepway_v1_GetQuotasResponse__Output } from './stepway/v1/GetQuotasResponse';
import type { GetServerInfoRequest as _stepway_v1_GetServerInfoRequest, GetServerInfoRequest__Output as _stepway_v1_GetServerInfoRequest__Output } from './stepway/v1/GetServerInfoRequest';
import type { GetServerInfoResponse as _stepway_v1_GetServerInfoResponse, GetServerInfoResponse__Output as _stepway_v1_GetServerInfoResponse__Output } from './stepway/v1/GetServerInfoResponse';
import type { GetUsageRequest as _stepway_v1_GetUsageRequest, GetUsageRequest__Output as _stepway_v1_GetUsageRequest__Output } from './stepway/v1/GetUsageRequest';
import type { GetUsageResponse as _stepway_v1_GetUsageResponse, GetUsageResponse__Output as _stepway_v1_GetUsageResponse__Output } from './stepway/v1/GetUsageResponse';
import type { ListAccountsRequest as _stepway_v1_ListAccountsRequest, ListAccountsRequest__Output as _stepway_v1_ListAccountsRequest__Output } from './stepway/v1/ListAccountsRequest';
import type { ListAccountsResponse as _stepway_v1_ListAccountsResponse, ListAccountsResponse__Output as _stepway_v1_ListAccountsResponse__Output } from './stepway/v1/ListAccountsResponse';
import type { ListKeysRequest as _stepway_v1_ListKeysRequest, ListKeysRequest__Output as _stepway_v1_ListKeysRequest__Output } from './stepway/v1/ListKeysRequest';
import type { ListKeysResponse as _stepway_v1_ListKeysResponse, ListKeysResponse__Output as _stepway_v1_ListKeysResponse__Output } from './stepway/v1/ListKeysResponse';
import type { Quotas as _stepway_v1_Quotas, Quotas__Output as _stepway_v1_Quotas__Output } from './stepway/v1/Quotas';
import type { RevokeKeyRequest as _stepway_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _stepway_v1_RevokeKeyRequest__Output } from './stepway/v1/RevokeKeyRequest';
import type { RevokeKeyResponse as _stepway_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _stepway_v1_RevokeKeyResponse__Output } from './stepway/v1/RevokeKeyResponse';
import type { SetQuotasRequest as _stepway_v1_SetQuotasRequest, SetQuotasRequest__Output as _stepway_v1_SetQuotasRequest__Output } from './stepway/v1/SetQuotasRequest';
import type { SetQuotasResponse as _stepway_v1_SetQuotasResponse, SetQuotasResponse__Output as _stepway_v1_SetQuotasResponse__Output } from './stepway/v1/SetQuotasResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  stepway: {
    v1: {
      Account: MessageTypeDefinition<_stepway_v1_Account, _stepway_v1_Account__Output>
      /**
       * Operators' calls: the server's description, and accounts, their API keys and their quotas.
       * 
       * Any key may call GetServerInfo; the other calls need a key with role admin. An admin key of
       * an operator account manages every account. An admin key of a tenant account manages only
       * its own account's keys and reads its own quotas; it may not create or list accounts nor
       * change quotas, and naming another account is PERMISSION_DENIED. An account name that breaks
       * ^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,99}$ is INVALID_ARGUMENT; an account that does not exist is
       * NOT_FOUND (for an operator; a tenant gets PERMISSION_DENIED for any other name).
       */
      AdminService: SubtypeConstructor<typeof grpc.Client, _stepway_v1_AdminServiceClient> & { service: _stepway_v1_AdminServiceDefinition }
      ApiKey: MessageTypeDefinition<_stepway_v1_ApiKey, _stepway_v1_ApiKey__Output>
      CreateAccountRequest: MessageTypeDefinition<_stepway_v1_CreateAccountRequest, _stepway_v1_CreateAccountRequest__Output>
      CreateAccountResponse: MessageTypeDefinition<_stepway_v1_CreateAccountResponse, _stepway_v1_CreateAccountResponse__Output>
      CreateKeyRequest: MessageTypeDefinition<_stepway_v1_CreateKeyRequest, _stepway_v1_CreateKeyRequest__Output>
      CreateKeyResponse: MessageTypeDefinition<_stepway_v1_CreateKeyResponse, _stepway_v1_CreateKeyResponse__Output>
      GetQuotasRequest: MessageTypeDefinition<_stepway_v1_GetQuotasRequest, _stepway_v1_GetQuotasRequest__Output>
      GetQuotasResponse: MessageTypeDefinition<_stepway_v1_GetQuotasResponse, _stepway_v1_GetQuotasResponse__Output>
      GetServerInfoRequest: MessageTypeDefinition<_stepway_v1_GetServerInfoRequest, _stepway_v1_GetServerInfoRequest__Output>
      GetServerInfoResponse: MessageTypeDefinition<_stepway_v1_GetServerInfoResponse, _stepway_v1_GetServerInfoResponse__Output>
      GetUsageRequest: MessageTypeDefinition<_stepway_v1_GetUsageRequest, _stepway_v1_GetUsageRequest__Output>
      GetUsageResponse: MessageTypeDefinition<_stepway_v1_GetUsageResponse, _stepway_v1_GetUsageResponse__Output>
      KeyRole: EnumTypeDefinition
      ListAccountsRequest: MessageTypeDefinition<_stepway_v1_ListAccountsRequest, _stepway_v1_ListAccountsRequest__Output>
      ListAccountsResponse: MessageTypeDefinition<_stepway_v1_ListAccountsResponse, _stepway_v1_ListAccountsResponse__Output>
      ListKeysRequest: MessageTypeDefinition<_stepway_v1_ListKeysRequest, _stepway_v1_ListKeysRequest__Output>
      ListKeysResponse: MessageTypeDefinition<_stepway_v1_ListKeysResponse, _stepway_v1_ListKeysResponse__Output>
      Quotas: MessageTypeDefinition<_stepway_v1_Quotas, _stepway_v1_Quotas__Output>
      RevokeKeyRequest: MessageTypeDefinition<_stepway_v1_RevokeKeyRequest, _stepway_v1_RevokeKeyRequest__Output>
      RevokeKeyResponse: MessageTypeDefinition<_stepway_v1_RevokeKeyResponse, _stepway_v1_RevokeKeyResponse__Output>
      SetQuotasRequest: MessageTypeDefinition<_stepway_v1_SetQuotasRequest, _stepway_v1_SetQuotasRequest__Output>
      SetQuotasResponse: MessageTypeDefinition<_stepway_v1_SetQuotasResponse, _stepway_v1_SetQuotasResponse__Output>
    }
  }
}

