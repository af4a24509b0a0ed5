import { ApiSchema } from '@nestjs/swagger';
import { typed } from '../common/graphql/node.js';
import { ApiBool, ApiEnum, ApiId, ApiText } from '../common/openapi/properties.js';
import type { ProductResourceEntity, ProductResourceKind } from './product-resource.entity.js';
import { ProductResourceKindEnum } from './product.enums.js';

@ApiSchema({ name: 'ProductResource', description: 'A manual, guide, course or support contact for a product.' })
export class ProductResourceView {
  @ApiId() id: string;
  @ApiEnum(ProductResourceKindEnum, 'ProductResourceKind') kind: ProductResourceKind;
  @ApiText('Quick start guide') title: string;
  @ApiText('https://support.example.com/fr-200/quick-start.pdf') url: string;
  @ApiText('en', { nullable: true, description: 'null: for every language.' }) locale: string | null;
}

@ApiSchema({ name: 'DeletedProductResource', description: 'The resource is gone.' })
export class DeletedProductResourceView {
  @ApiId() id: string;
  @ApiBool(true) deleted: boolean;
}

export const toProductResourceView = (r: ProductResourceEntity): ProductResourceView =>
  typed({ id: r.id, kind: r.kind, title: r.title, url: r.url, locale: r.locale }, 'ProductResource');
