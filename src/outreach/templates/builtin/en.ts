import type { OutreachLanguage, ReturnWindowStart } from './language.js';

const STARTS: Record<ReturnWindowStart, string> = {
  PURCHASE_DATE: 'purchase',
  DELIVERY_DATE: 'delivery',
  REGISTRATION_DATE: 'registration',
};

const SIGN_OFF = ['Best wishes,', '{{ sender.name }}'];

/**
 * English, the reference for the other languages. A fact that may be missing (the coverage end once coverage
 * has lapsed, a trade-in program without a value) stands alone on its line, so the line is left out whole.
 */
export const EN: OutreachLanguage = {
  unsubscribeLine: 'If you’d rather not receive these emails, you can unsubscribe here: {{ links.unsubscribe }}',

  returnPolicySummary: ({ windowDays, startsFrom, restockingFee }) =>
    `Returns are accepted within ${windowDays} ${windowDays === 1 ? 'day' : 'days'} of ${STARTS[startsFrom]}. ` +
    (restockingFee === null
      ? 'There is no restocking fee.'
      : `A restocking fee of ${restockingFee} of the price is deducted from the refund.`),

  withoutResources: {
    PRODUCT_TRAINING: {
      body: [
        'Hello {{ owner.name }},',
        '',
        'We hope your {{ product.name }} is serving you well. Any guides we publish for it will be on your product page, along with your warranty and how to reach us: {{ links.ownerPage }}',
        '',
        'Enjoy it!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      body: [
        'Hello {{ owner.name }},',
        '',
        'If you ever need help with your {{ product.name }} (serial number {{ unit.serialNumber }}), your product page is the best place to start. It shows your warranty and how to contact us: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
  },

  templates: {
    WARRANTY_INFO: {
      subject: 'Your {{ product.name }} warranty',
      body: [
        'Hello {{ owner.name }},',
        '',
        'Thank you for choosing us. Here is what you need to know about the warranty on your {{ product.name }}:',
        '',
        'Serial number: {{ unit.serialNumber }}',
        'Purchased on: {{ unit.purchaseDate }}',
        'Warranty until: {{ warranty.endsAt }}',
        '',
        'Your product page shows exactly what is covered and how to reach us if anything goes wrong: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    PRODUCT_TRAINING: {
      subject: 'Getting the most out of your {{ product.name }}',
      body: [
        'Hello {{ owner.name }},',
        '',
        'We’ve put together a few guides to help you get the most out of your {{ product.name }}:',
        '',
        '{{ resources }}',
        '',
        'You’ll always find them on your product page too: {{ links.ownerPage }}',
        '',
        'Enjoy it!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    REPAIR_OR_UPGRADE_OFFER: {
      subject: 'Repair or upgrade? An offer for you',
      body: [
        'Hello {{ owner.name }},',
        '',
        'If your {{ product.name }} ever needs a repair, we’ll gladly take care of it; just get in touch through your product page: {{ links.ownerPage }}',
        'It is covered until {{ warranty.coveredUntil }}.',
        '',
        'If you’d rather move to a newer model, you can trade in your current one through {{ upgrade.programName }}.',
        'We’ll give you up to {{ upgrade.tradeInValue }} for it.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REVIEW_REQUEST: {
      subject: 'How do you like your {{ product.name }}?',
      body: [
        'Hello {{ owner.name }},',
        '',
        'We hope you’re enjoying your {{ product.name }}. Could you spare a minute to share your experience? Your review helps other customers choose well, and helps us do better.',
        '',
        '{{ links.review }}',
        '',
        'Thank you!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    RETURN_POLICY: {
      subject: 'Returning your {{ product.name }}: how it works',
      body: [
        'Hello {{ owner.name }},',
        '',
        'In case your {{ product.name }} isn’t quite right, here is how returns work for your purchase on {{ unit.purchaseDate }}:',
        '',
        '{{ returnPolicy.summary }}',
        '',
        'Your product page shows how many days you have left to return it: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      subject: 'Help and support for your {{ product.name }}',
      body: [
        'Hello {{ owner.name }},',
        '',
        'If you ever need help with your {{ product.name }} (serial number {{ unit.serialNumber }}), these are the best places to start:',
        '',
        '{{ resources }}',
        '',
        'Your product page has all of this too, along with your warranty and how to contact us: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    COUPON: {
      subject: 'A thank-you from us: {{ coupon.discount }} off your next purchase',
      body: [
        'Hello {{ owner.name }},',
        '',
        'Thank you for shopping with us. As a small thank-you, here is {{ coupon.discount }} off your next purchase.',
        '',
        'Your code: {{ coupon.code }}',
        'Valid until: {{ coupon.expiresOn }}',
        '',
        'Just enter the code at checkout or show it in store.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SURVEY: {
      subject: 'How are we doing? One quick question',
      body: [
        'Hello {{ owner.name }},',
        '',
        'We’d love to hear how things are going with your {{ product.name }} and with our service. It takes less than a minute:',
        '',
        '{{ links.survey }}',
        '',
        'Thank you for helping us improve.',
        '{{ sender.name }}',
      ].join('\n'),
    },
    GREETING: {
      subject: 'Warm wishes from {{ sender.name }}',
      body: [
        'Hello {{ owner.name }},',
        '',
        'We’re thinking of you today and wanted to send you our warmest wishes.',
        '',
        'Thank you for choosing us. If you ever need anything for your {{ product.name }}, we’re here for you: {{ links.ownerPage }}',
        '',
        'All the best,',
        '{{ sender.name }}',
      ].join('\n'),
    },
  },
};
