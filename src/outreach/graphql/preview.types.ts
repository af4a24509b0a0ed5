import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('RenderedMessage')
export class RenderedMessageType {
  @Field() subject: string;
  @Field() text: string;
  @Field() html: string;
}
