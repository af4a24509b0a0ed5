import type { OutreachLanguage, ReturnWindowStart } from './language.js';

const STARTS: Record<ReturnWindowStart, string> = {
  PURCHASE_DATE: 'acquisto',
  DELIVERY_DATE: 'consegna',
  REGISTRATION_DATE: 'registrazione',
};

const SIGN_OFF = ['Un cordiale saluto,', '{{ sender.name }}'];

/**
 * Italian, in the courteous Lei form. After "Gentile …," the text goes on with a capital letter: the greeting
 * line is left out when the owner has no name, and the message must not then open in lower case.
 */
export const IT: OutreachLanguage = {
  unsubscribeLine:
    'Se preferisce non ricevere più queste email, può annullare l’iscrizione qui: {{ links.unsubscribe }}',

  returnPolicySummary: ({ windowDays, startsFrom, restockingFee }) =>
    `Il reso è possibile entro ${windowDays} ${windowDays === 1 ? 'giorno' : 'giorni'} dalla data di ${STARTS[startsFrom]}. ` +
    (restockingFee === null
      ? 'Il reso non comporta alcuna trattenuta sul rimborso.'
      : `Dal rimborso viene trattenuto il ${restockingFee} del prezzo per le spese di gestione del reso.`),

  withoutResources: {
    PRODUCT_TRAINING: {
      subject: 'Il Suo prodotto, {{ product.name }}',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Ci auguriamo che il Suo prodotto, {{ product.name }}, Le dia piena soddisfazione. Se pubblicheremo delle guide per aiutarLa a ottenerne il massimo, le troverà nella pagina del Suo prodotto, insieme alla garanzia e ai nostri contatti: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Se dovesse avere bisogno di aiuto con {{ product.name }} (numero di serie {{ unit.serialNumber }}), il punto da cui partire è la pagina del Suo prodotto, dove trova anche la garanzia e i nostri contatti: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
  },

  templates: {
    WARRANTY_INFO: {
      subject: '{{ product.name }}: le informazioni sulla garanzia',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Grazie per averci scelto. Ecco che cosa c’è da sapere sulla garanzia del Suo prodotto, {{ product.name }}:',
        '',
        'Numero di serie: {{ unit.serialNumber }}',
        'Data di acquisto: {{ unit.purchaseDate }}',
        'Scadenza della garanzia: {{ warranty.endsAt }}',
        '',
        'Nella pagina del Suo prodotto trova tutti i dettagli sulla copertura e su come contattarci in caso di problemi: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    PRODUCT_TRAINING: {
      subject: 'Guide e consigli per {{ product.name }}',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Per aiutarLa a ottenere il massimo dal Suo prodotto, {{ product.name }}, abbiamo raccolto alcune guide utili:',
        '',
        '{{ resources }}',
        '',
        'Le trova sempre anche nella pagina del Suo prodotto: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REPAIR_OR_UPGRADE_OFFER: {
      subject: 'Riparazione o nuovo modello? Una proposta per Lei',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Se il Suo prodotto, {{ product.name }}, dovesse avere bisogno di una riparazione, ce ne occuperemo volentieri. Può contattarci dalla pagina del Suo prodotto: {{ links.ownerPage }}',
        'Scadenza della copertura: {{ warranty.coveredUntil }}.',
        '',
        'Se invece preferisce passare a un modello più recente, con {{ upgrade.programName }} può dare in permuta quello attuale.',
        'Le riconosciamo una valutazione fino a {{ upgrade.tradeInValue }}.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REVIEW_REQUEST: {
      subject: 'Come si trova con {{ product.name }}?',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Speriamo che {{ product.name }} Le stia dando soddisfazione. Le andrebbe di dedicarci un minuto e raccontare la Sua esperienza? La Sua recensione aiuta altri clienti a scegliere e aiuta noi a migliorare.',
        '',
        '{{ links.review }}',
        '',
        'Grazie di cuore,',
        '{{ sender.name }}',
      ].join('\n'),
    },
    RETURN_POLICY: {
      subject: 'Il reso di {{ product.name }}: come funziona',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Nel caso in cui {{ product.name }} non La soddisfi, ecco come funziona il reso per il Suo acquisto (data di acquisto: {{ unit.purchaseDate }}):',
        '',
        '{{ returnPolicy.summary }}',
        '',
        'Nella pagina del Suo prodotto può vedere quanti giorni Le restano per il reso: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      subject: 'Assistenza per {{ product.name }}',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Se dovesse avere bisogno di aiuto con {{ product.name }} (numero di serie {{ unit.serialNumber }}), ecco da dove cominciare:',
        '',
        '{{ resources }}',
        '',
        'Nella pagina del Suo prodotto trova tutto questo, insieme alla garanzia e ai nostri contatti: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    COUPON: {
      subject: 'Un regalo per Lei: {{ coupon.discount }} di sconto',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Grazie per averci scelto. Per ringraziarLa, Le riserviamo uno sconto sul Suo prossimo acquisto: {{ coupon.discount }}.',
        '',
        'Codice: {{ coupon.code }}',
        'Scadenza: {{ coupon.expiresOn }}',
        '',
        'Basta inserire il codice al momento del pagamento o mostrarlo in negozio.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SURVEY: {
      subject: 'La Sua opinione conta: una breve domanda',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Ci piacerebbe sapere come si trova con {{ product.name }} e con il nostro servizio. Rispondere richiede meno di un minuto:',
        '',
        '{{ links.survey }}',
        '',
        'Grazie per il Suo aiuto,',
        '{{ sender.name }}',
      ].join('\n'),
    },
    GREETING: {
      subject: 'Tanti auguri da {{ sender.name }}',
      body: [
        'Gentile {{ owner.name }},',
        '',
        'Oggi pensiamo a Lei e Le inviamo i nostri più cari auguri.',
        '',
        'Grazie per averci scelto. Se dovesse avere bisogno di qualcosa per {{ product.name }}, siamo sempre a Sua disposizione: {{ links.ownerPage }}',
        '',
        'Un caro saluto,',
        '{{ sender.name }}',
      ].join('\n'),
    },
  },
};
