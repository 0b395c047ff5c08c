// Original file: stepway/v1/admin_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateAccountRequest as _stepway_v1_CreateAccountRequest, CreateAccountRequest__Output as _stepway_v1_CreateAccountRequest__Output } from '../../stepway/v1/CreateAccountRequest';
import type { CreateAccountResponse as _stepway_v1_CreateAccountResponse, CreateAccountResponse__Output as _stepway_v1_CreateAccountResponse__Output } from '../../stepway/v1/CreateAccountResponse';
import type { CreateKeyRequest as _stepway_v1_CreateKeyRequest, CreateKeyRequest__Output as _stepway_v1_CreateKeyRequest__Output } from '../../stepway/v1/CreateKeyRequest';
import type { CreateKeyResponse as _stepway_v1_CreateKeyResponse, CreateKeyResponse__Output as _stepway_v1_CreateKeyResponse__Output } from '../../stepway/v1/CreateKeyResponse';
import type { GetQuotasRequest as _stepway_v1_GetQuotasRequest, GetQuotasRequest__Output as _stepway_v1_GetQuotasRequest__Output } from '../../stepway/v1/GetQuotasRequest';
import type { GetQuotasResponse as _stepway_v1_GetQuotasResponse, GetQuotasResponse__Output as _stepway_v1_GetQuotasResponse__Output } from '../../stepway/v1/GetQuotasResponse';
import type { GetServerInfoRequest as _stepway_v1_GetServerInfoRequest, GetServerInfoRequest__Output as _stepway_v1_GetServerInfoRequest__Output } from '../../stepway/v1/GetServerInfoRequest';
import type { GetServerInfoResponse as _stepway_v1_GetServerInfoResponse, GetServerInfoResponse__Output as _stepway_v1_GetServerInfoResponse__Output } from '../../stepway/v1/GetServerInfoResponse';
import type { GetUsageRequest as _stepway_v1_GetUsageRequest, GetUsageRequest__Output as _stepway_v1_GetUsageRequest__Output } from '../../stepway/v1/GetUsageRequest';
import type { GetUsageResponse as _stepway_v1_GetUsageResponse, GetUsageResponse__Output as _stepway_v1_GetUsageResponse__Output } from '../../stepway/v1/GetUsageResponse';
import type { ListAccountsRequest as _stepway_v1_ListAccountsRequest, ListAccountsRequest__Output as _stepway_v1_ListAccountsRequest__Output } from '../../stepway/v1/ListAccountsRequest';
import type { ListAccountsResponse as _stepway_v1_ListAccountsResponse, ListAccountsResponse__Output as _stepway_v1_ListAccountsResponse__Output } from '../../stepway/v1/ListAccountsResponse';
import type { ListKeysRequest as _stepway_v1_ListKeysRequest, ListKeysRequest__Output as _stepway_v1_ListKeysRequest__Output } from '../../stepway/v1/ListKeysRequest';
import type { ListKeysResponse as _stepway_v1_ListKeysResponse, ListKeysResponse__Output as _stepway_v1_ListKeysResponse__Output } from '../../stepway/v1/ListKeysResponse';
import type { RevokeKeyRequest as _stepway_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _stepway_v1_RevokeKeyRequest__Output } from '../../stepway/v1/RevokeKeyRequest';
import type { RevokeKeyResponse as _stepway_v1_RevokeKeyResponse, RevokeKeyResponse__Output as _stepway_v1_RevokeKeyResponse__Output } from '../../stepway/v1/RevokeKeyResponse';
import type { SetQuotasRequest as _stepway_v1_SetQuotasRequest, SetQuotasRequest__Output as _stepway_v1_SetQuotasRequest__Output } from '../../stepway/v1/SetQuotasRequest';
import type { SetQuotasResponse as _stepway_v1_SetQuotasResponse, SetQuotasResponse__Output as _stepway_v1_SetQuotasResponse__Output } from '../../stepway/v1/SetQuotasResponse';

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
export interface AdminServiceClient extends grpc.Client {
  /**
   * Creates an account, without keys (CreateKey makes them). Operator accounts only.
   */
  CreateAccount(argument: _stepway_v1_CreateAccountRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _stepway_v1_CreateAccountRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _stepway_v1_CreateAccountRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  CreateAccount(argument: _stepway_v1_CreateAccountRequest, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an account, without keys (CreateKey makes them). Operator accounts only.
   */
  createAccount(argument: _stepway_v1_CreateAccountRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _stepway_v1_CreateAccountRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _stepway_v1_CreateAccountRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  createAccount(argument: _stepway_v1_CreateAccountRequest, callback: grpc.requestCallback<_stepway_v1_CreateAccountResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Creates an API key for an account. The answer holds the key itself, shown only this once.
   */
  CreateKey(argument: _stepway_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stepway_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stepway_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  CreateKey(argument: _stepway_v1_CreateKeyRequest, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates an API key for an account. The answer holds the key itself, shown only this once.
   */
  createKey(argument: _stepway_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stepway_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stepway_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  createKey(argument: _stepway_v1_CreateKeyRequest, callback: grpc.requestCallback<_stepway_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads an account's quotas, with their defaults.
   */
  GetQuotas(argument: _stepway_v1_GetQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  GetQuotas(argument: _stepway_v1_GetQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  GetQuotas(argument: _stepway_v1_GetQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  GetQuotas(argument: _stepway_v1_GetQuotasRequest, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reads an account's quotas, with their defaults.
   */
  getQuotas(argument: _stepway_v1_GetQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  getQuotas(argument: _stepway_v1_GetQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  getQuotas(argument: _stepway_v1_GetQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  getQuotas(argument: _stepway_v1_GetQuotasRequest, callback: grpc.requestCallback<_stepway_v1_GetQuotasResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Describes the server a client is connected to.
   */
  GetServerInfo(argument: _stepway_v1_GetServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _stepway_v1_GetServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _stepway_v1_GetServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  GetServerInfo(argument: _stepway_v1_GetServerInfoRequest, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Describes the server a client is connected to.
   */
  getServerInfo(argument: _stepway_v1_GetServerInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _stepway_v1_GetServerInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _stepway_v1_GetServerInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  getServerInfo(argument: _stepway_v1_GetServerInfoRequest, callback: grpc.requestCallback<_stepway_v1_GetServerInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * What an account uses now: its instances by status, its creation rate, and the calls its
   * quotas refused. An operator reads any account's; a tenant admin its own.
   */
  GetUsage(argument: _stepway_v1_GetUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stepway_v1_GetUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stepway_v1_GetUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  GetUsage(argument: _stepway_v1_GetUsageRequest, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  /**
   * What an account uses now: its instances by status, its creation rate, and the calls its
   * quotas refused. An operator reads any account's; a tenant admin its own.
   */
  getUsage(argument: _stepway_v1_GetUsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stepway_v1_GetUsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stepway_v1_GetUsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  getUsage(argument: _stepway_v1_GetUsageRequest, callback: grpc.requestCallback<_stepway_v1_GetUsageResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists every account, by name. Operator accounts only.
   */
  ListAccounts(argument: _stepway_v1_ListAccountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _stepway_v1_ListAccountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _stepway_v1_ListAccountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  ListAccounts(argument: _stepway_v1_ListAccountsRequest, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists every account, by name. Operator accounts only.
   */
  listAccounts(argument: _stepway_v1_ListAccountsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _stepway_v1_ListAccountsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _stepway_v1_ListAccountsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  listAccounts(argument: _stepway_v1_ListAccountsRequest, callback: grpc.requestCallback<_stepway_v1_ListAccountsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists an account's API keys, revoked ones included; never the keys themselves.
   */
  ListKeys(argument: _stepway_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stepway_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stepway_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  ListKeys(argument: _stepway_v1_ListKeysRequest, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists an account's API keys, revoked ones included; never the keys themselves.
   */
  listKeys(argument: _stepway_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stepway_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stepway_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  listKeys(argument: _stepway_v1_ListKeysRequest, callback: grpc.requestCallback<_stepway_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Revokes an API key. Gateways refuse it within their key cache time (10 s by default).
   */
  RevokeKey(argument: _stepway_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stepway_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stepway_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  RevokeKey(argument: _stepway_v1_RevokeKeyRequest, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Revokes an API key. Gateways refuse it within their key cache time (10 s by default).
   */
  revokeKey(argument: _stepway_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stepway_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stepway_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  revokeKey(argument: _stepway_v1_RevokeKeyRequest, callback: grpc.requestCallback<_stepway_v1_RevokeKeyResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Changes some of an account's quotas; the others keep their values. Operator accounts only.
   */
  SetQuotas(argument: _stepway_v1_SetQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  SetQuotas(argument: _stepway_v1_SetQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  SetQuotas(argument: _stepway_v1_SetQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  SetQuotas(argument: _stepway_v1_SetQuotasRequest, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Changes some of an account's quotas; the others keep their values. Operator accounts only.
   */
  setQuotas(argument: _stepway_v1_SetQuotasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  setQuotas(argument: _stepway_v1_SetQuotasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  setQuotas(argument: _stepway_v1_SetQuotasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  setQuotas(argument: _stepway_v1_SetQuotasRequest, callback: grpc.requestCallback<_stepway_v1_SetQuotasResponse__Output>): grpc.ClientUnaryCall;
  
}

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
export interface AdminServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Creates an account, without keys (CreateKey makes them). Operator accounts only.
   */
  CreateAccount: grpc.handleUnaryCall<_stepway_v1_CreateAccountRequest__Output, _stepway_v1_CreateAccountResponse>;
  
  /**
   * Creates an API key for an account. The answer holds the key itself, shown only this once.
   */
  CreateKey: grpc.handleUnaryCall<_stepway_v1_CreateKeyRequest__Output, _stepway_v1_CreateKeyResponse>;
  
  /**
   * Reads an account's quotas, with their defaults.
   */
  GetQuotas: grpc.handleUnaryCall<_stepway_v1_GetQuotasRequest__Output, _stepway_v1_GetQuotasResponse>;
  
  /**
   * Describes the server a client is connected to.
   */
  GetServerInfo: grpc.handleUnaryCall<_stepway_v1_GetServerInfoRequest__Output, _stepway_v1_GetServerInfoResponse>;
  
  /**
   * What an account uses now: its instances by status, its creation rate, and the calls its
   * quotas refused. An operator reads any account's; a tenant admin its own.
   */
  GetUsage: grpc.handleUnaryCall<_stepway_v1_GetUsageRequest__Output, _stepway_v1_GetUsageResponse>;
  
  /**
   * Lists every account, by name. Operator accounts only.
   */
  ListAccounts: grpc.handleUnaryCall<_stepway_v1_ListAccountsRequest__Output, _stepway_v1_ListAccountsResponse>;
  
  /**
   * Lists an account's API keys, revoked ones included; never the keys themselves.
   */
  ListKeys: grpc.handleUnaryCall<_stepway_v1_ListKeysRequest__Output, _stepway_v1_ListKeysResponse>;
  
  /**
   * Revokes an API key. Gateways refuse it within their key cache time (10 s by default).
   */
  RevokeKey: grpc.handleUnaryCall<_stepway_v1_RevokeKeyRequest__Output, _stepway_v1_RevokeKeyResponse>;
  
  /**
   * Changes some of an account's quotas; the others keep their values. Operator accounts only.
   */
  SetQuotas: grpc.handleUnaryCall<_stepway_v1_SetQuotasRequest__Output, _stepway_v1_SetQuotasResponse>;
  
}

export interface AdminServiceDefinition extends grpc.ServiceDefinition {
  CreateAccount: MethodDefinition<_stepway_v1_CreateAccountRequest, _stepway_v1_CreateAccountResponse, _stepway_v1_CreateAccountRequest__Output, _stepway_v1_CreateAccountResponse__Output>
  CreateKey: MethodDefinition<_stepway_v1_CreateKeyRequest, _stepway_v1_CreateKeyResponse, _stepway_v1_CreateKeyRequest__Output, _stepway_v1_CreateKeyResponse__Output>
  GetQuotas: MethodDefinition<_stepway_v1_GetQuotasRequest, _stepway_v1_GetQuotasResponse, _stepway_v1_GetQuotasRequest__Output, _stepway_v1_GetQuotasResponse__Output>
  GetServerInfo: MethodDefinition<_stepway_v1_GetServerInfoRequest, _stepway_v1_GetServerInfoResponse, _stepway_v1_GetServerInfoRequest__Output, _stepway_v1_GetServerInfoResponse__Output>
  GetUsage: MethodDefinition<_stepway_v1_GetUsageRequest, _stepway_v1_GetUsageResponse, _stepway_v1_GetUsageRequest__Output, _stepway_v1_GetUsageResponse__Output>
  ListAccounts: MethodDefinition<_stepway_v1_ListAccountsRequest, _stepway_v1_ListAccountsResponse, _stepway_v1_ListAccountsRequest__Output, _stepway_v1_ListAccountsResponse__Output>
  ListKeys: MethodDefinition<_stepway_v1_ListKeysRequest, _stepway_v1_ListKeysResponse, _stepway_v1_ListKeysRequest__Output, _stepway_v1_ListKeysResponse__Output>
  RevokeKey: MethodDefinition<_stepway_v1_RevokeKeyRequest, _stepway_v1_RevokeKeyResponse, _stepway_v1_RevokeKeyRequest__Output, _stepway_v1_RevokeKeyResponse__Output>
  SetQuotas: MethodDefinition<_stepway_v1_SetQuotasRequest, _stepway_v1_SetQuotasResponse, _stepway_v1_SetQuotasRequest__Output, _stepway_v1_SetQuotasResponse__Output>
}
