import { ApiSchema } from '@nestjs/swagger';
import { ApiText } from '../common/openapi/properties.js';

/** A message as a journey would write it (previewOutreach): nothing is stored or sent. */
@ApiSchema({ name: 'RenderedMessage' })
export class RenderedMessageView {
  @ApiText('Your warranty, in short') subject: string;
  @ApiText('Dear Ada, your fridge is covered until 14 March 2028. …') text: string;
  @ApiText('<!DOCTYPE html><html lang="en">…</html>', {
    description: 'An email-safe HTML document made from the text.',
  })
  html: string;
}

@ApiSchema({ name: 'OwnerPageUrl' })
export class OwnerPageUrlView {
  @ApiText('https://aftercare.example.com/o/AQGTb0Q…', {
    description: "A no-login link to the owner's page for the unit.",
  })
  url: string;
}
