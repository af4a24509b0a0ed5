import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IdField } from '../common/http/input-fields.js';
import { IsWebLink } from '../common/http/link.validator.js';
import { IsLocaleTag } from '../common/http/locale.validator.js';
import { NotBlank } from '../common/http/text.validators.js';
import { PRODUCT_RESOURCE_KINDS, type ProductResourceKind } from './product-resource.entity.js';
import { ProductResourceKindEnum } from './product.enums.js';

/** Text shown to owners in emails and pages: no control characters (line breaks would break a "title: link" line). */
const PLAIN_TEXT = /^[^\p{Cc}]*$/u;

@InputType()
export class AddProductResourceInput {
  @IdField()
  productId: string;

  @ApiProperty({ enum: PRODUCT_RESOURCE_KINDS, enumName: 'ProductResourceKind' })
  @Field(() => ProductResourceKindEnum)
  @IsIn(PRODUCT_RESOURCE_KINDS)
  kind: ProductResourceKind;

  @ApiProperty({ example: 'Quick start guide', description: '1 to 200 characters.' })
  @Field()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  @Matches(PLAIN_TEXT, { message: 'title must not contain control characters or line breaks' })
  title: string;

  @ApiProperty({ example: 'https://support.example.com/fr-200/quick-start.pdf', description: 'http:// or https://.' })
  @Field()
  @IsString()
  @Length(1, 2000)
  @IsWebLink()
  url: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'en',
    description: 'BCP 47; absent or null: for every language.',
  })
  @Field(() => String, { nullable: true, description: 'null: for every language.' })
  @IsOptional()
  @IsLocaleTag()
  locale?: string | null;
}
