import { Injectable } from '@nestjs/common';
import { systemResolver, type Resolver } from './webhook-address.js';

/**
 * How webhook hosts are resolved: the system resolver, replaceable in one place so that tests can
 * play a DNS answer that changes between the endpoint's creation and a delivery.
 */
@Injectable()
export class WebhookNetwork {
  resolve: Resolver = systemResolver;
}
