import { Controller } from '@nestjs/common';
import { ApiExtraModels } from '@nestjs/swagger';
import { OutreachMessageEventView } from './outreach-event.views.js';

/**
 * Serves no route: it puts the data of the `outreach.message` webhook event in the OpenAPI
 * document (components.schemas.OutreachMessageEvent), where the webhook catalogue takes every
 * event's JSON Schema from. No REST operation answers with it, so nothing else would.
 */
@ApiExtraModels(OutreachMessageEventView)
@Controller()
export class OutreachEventSchemas {}
