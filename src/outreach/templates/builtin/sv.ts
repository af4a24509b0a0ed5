import type { OutreachLanguage, ReturnWindowStart } from './language.js';

const STARTS: Record<ReturnWindowStart, string> = {
  PURCHASE_DATE: 'köpdagen',
  DELIVERY_DATE: 'leveransdagen',
  REGISTRATION_DATE: 'registreringsdagen',
};

/** Swedish closes a letter without a comma. */
const SIGN_OFF = ['Vänliga hälsningar', '{{ sender.name }}'];

/** Swedish, with the natural "du"; the product's name stands alone, so no en/ett gender is guessed. */
export const SV: OutreachLanguage = {
  unsubscribeLine: 'Vill du inte längre få sådana här mejl? Avanmäl dig här: {{ links.unsubscribe }}',

  returnPolicySummary: ({ windowDays, startsFrom, restockingFee }) =>
    `Du kan returnera varan inom ${windowDays} ${windowDays === 1 ? 'dag' : 'dagar'} från ${STARTS[startsFrom]}. ` +
    (restockingFee === null
      ? 'Vi tar inte ut någon returavgift.'
      : `Vid retur tar vi ut en returavgift på ${restockingFee} av priset.`),

  withoutResources: {
    PRODUCT_TRAINING: {
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Vi hoppas att du trivs med {{ product.name }}. Eventuella guider som vi publicerar till produkten hittar du på din produktsida, tillsammans med din garanti och hur du kontaktar oss: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Om du någon gång behöver hjälp med {{ product.name }} (serienummer {{ unit.serialNumber }}) är din produktsida det bästa stället att börja på. Där hittar du också din garanti och hur du kontaktar oss: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
  },

  templates: {
    WARRANTY_INFO: {
      subject: 'Garantin för {{ product.name }}',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Tack för att du valde oss. Här är det viktigaste att veta om garantin för {{ product.name }}:',
        '',
        'Serienummer: {{ unit.serialNumber }}',
        'Köpdatum: {{ unit.purchaseDate }}',
        'Garantin gäller till och med {{ warranty.endsAt }}',
        '',
        'På din produktsida ser du exakt vad garantin täcker och hur du når oss om något skulle krångla: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    PRODUCT_TRAINING: {
      subject: 'Få ut det mesta av {{ product.name }}',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Vi har samlat några guider som hjälper dig att få ut det mesta av {{ product.name }}:',
        '',
        '{{ resources }}',
        '',
        'Du hittar dem alltid på din produktsida också: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REPAIR_OR_UPGRADE_OFFER: {
      subject: 'Reparera eller uppgradera? Ett erbjudande till dig',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Om {{ product.name }} någon gång behöver repareras hjälper vi gärna till. Hör av dig via din produktsida: {{ links.ownerPage }}',
        'Skyddet gäller till och med {{ warranty.coveredUntil }}.',
        '',
        'Vill du hellre byta till en nyare modell? Med {{ upgrade.programName }} kan du byta in din nuvarande.',
        'Du får upp till {{ upgrade.tradeInValue }} för den.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REVIEW_REQUEST: {
      subject: 'Vad tycker du om {{ product.name }}?',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Vi hoppas att du är nöjd med {{ product.name }}. Har du en minut över? Berätta gärna vad du tycker – ditt omdöme hjälper andra kunder att välja rätt och oss att bli bättre.',
        '',
        '{{ links.review }}',
        '',
        'Stort tack!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    RETURN_POLICY: {
      subject: 'Returnera {{ product.name }} – så fungerar det',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Här är våra returvillkor för ditt köp den {{ unit.purchaseDate }}, ifall {{ product.name }} inte skulle motsvara dina förväntningar:',
        '',
        '{{ returnPolicy.summary }}',
        '',
        'På din produktsida ser du hur många dagar som återstår av returrätten: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      subject: 'Hjälp och support för {{ product.name }}',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Om du någon gång behöver hjälp med {{ product.name }} (serienummer {{ unit.serialNumber }}) kan du börja här:',
        '',
        '{{ resources }}',
        '',
        'På din produktsida hittar du allt detta, och dessutom din garanti och hur du kontaktar oss: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    COUPON: {
      subject: 'Ett tack från oss: {{ coupon.discount }} rabatt',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Tack för att du handlar hos oss. Som ett litet tack får du {{ coupon.discount }} rabatt på nästa köp.',
        '',
        'Rabattkod: {{ coupon.code }}',
        'Gäller till och med {{ coupon.expiresOn }}',
        '',
        'Ange koden i kassan eller visa den i butiken.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SURVEY: {
      subject: 'Har du en minut? Vi vill höra vad du tycker',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'Vi vill gärna veta hur du trivs med {{ product.name }} och med vår service. Det tar mindre än en minut att svara:',
        '',
        '{{ links.survey }}',
        '',
        'Tack för att du hjälper oss att bli bättre!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    GREETING: {
      subject: 'Varma hälsningar från {{ sender.name }}',
      body: [
        'Hej {{ owner.name }}!',
        '',
        'I dag tänker vi lite extra på dig och vill skicka våra varmaste hälsningar.',
        '',
        'Tack för att du har valt oss. Behöver du någon gång hjälp med {{ product.name }} finns vi här: {{ links.ownerPage }}',
        '',
        'Allt gott önskar',
        '{{ sender.name }}',
      ].join('\n'),
    },
  },
};
