import type { OutreachLanguage, ReturnWindowStart } from './language.js';

const STARTS: Record<ReturnWindowStart, string> = {
  PURCHASE_DATE: 'compra',
  DELIVERY_DATE: 'entrega',
  REGISTRATION_DATE: 'registro',
};

const SIGN_OFF = ['Un saludo cordial,', '{{ sender.name }}'];

/** Spanish, addressing the owner as usted; a letter's greeting ends with a colon ("Hola, Ana:"). */
export const ES: OutreachLanguage = {
  unsubscribeLine: 'Si prefiere dejar de recibir estos correos, puede darse de baja aquí: {{ links.unsubscribe }}',

  returnPolicySummary: ({ windowDays, startsFrom, restockingFee }) =>
    `Dispone de ${windowDays} ${windowDays === 1 ? 'día' : 'días'} desde la fecha de ${STARTS[startsFrom]} para hacer una devolución. ` +
    (restockingFee === null
      ? 'La devolución no tiene gastos de gestión.'
      : `Del reembolso se descuenta un ${restockingFee} del precio en concepto de gastos de gestión.`),

  withoutResources: {
    PRODUCT_TRAINING: {
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Esperamos que esté disfrutando de su {{ product.name }}. Las guías que publiquemos para sacarle el máximo partido estarán en la página de su producto, junto con su garantía y la forma de ponerse en contacto con nosotros: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Si alguna vez necesita ayuda con su {{ product.name }} (número de serie {{ unit.serialNumber }}), le recomendamos empezar por la página de su producto, donde encontrará también su garantía y cómo ponerse en contacto con nosotros: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
  },

  templates: {
    WARRANTY_INFO: {
      subject: 'La garantía de su {{ product.name }}',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Gracias por confiar en nosotros. Esto es lo que necesita saber sobre la garantía de su {{ product.name }}:',
        '',
        'Número de serie: {{ unit.serialNumber }}',
        'Fecha de compra: {{ unit.purchaseDate }}',
        'Fin de la garantía: {{ warranty.endsAt }}',
        '',
        'En la página de su producto puede consultar qué cubre la garantía y cómo ponerse en contacto con nosotros si surge algún problema: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    PRODUCT_TRAINING: {
      subject: 'Saque el máximo partido a su {{ product.name }}',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Hemos reunido algunas guías para ayudarle a sacar el máximo partido a su {{ product.name }}:',
        '',
        '{{ resources }}',
        '',
        'También las encontrará siempre en la página de su producto: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REPAIR_OR_UPGRADE_OFFER: {
      subject: '¿Reparar o renovar? Una propuesta para usted',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Si su {{ product.name }} necesita alguna vez una reparación, estaremos encantados de ayudarle; puede escribirnos desde la página de su producto: {{ links.ownerPage }}',
        'Su cobertura está vigente hasta el {{ warranty.coveredUntil }}.',
        '',
        'Y si prefiere pasarse a un modelo más nuevo, con {{ upgrade.programName }} puede entregar el actual como parte del pago.',
        'Le damos hasta {{ upgrade.tradeInValue }} por él.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REVIEW_REQUEST: {
      subject: '¿Qué le parece su {{ product.name }}?',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Esperamos que esté disfrutando de su {{ product.name }}. ¿Nos dedicaría un minuto para contar su experiencia? Su opinión ayuda a otros clientes a decidir y a nosotros a mejorar.',
        '',
        '{{ links.review }}',
        '',
        '¡Muchas gracias!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    RETURN_POLICY: {
      subject: 'Devoluciones de su {{ product.name }}: cómo funcionan',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Por si su {{ product.name }} no le convence del todo, le explicamos cómo funcionan las devoluciones de su compra del {{ unit.purchaseDate }}:',
        '',
        '{{ returnPolicy.summary }}',
        '',
        'En la página de su producto puede ver cuántos días le quedan para hacer la devolución: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      subject: 'Ayuda y asistencia para su {{ product.name }}',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Si alguna vez necesita ayuda con su {{ product.name }} (número de serie {{ unit.serialNumber }}), le recomendamos empezar por aquí:',
        '',
        '{{ resources }}',
        '',
        'En la página de su producto encontrará todo esto, además de su garantía y cómo ponerse en contacto con nosotros: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    COUPON: {
      subject: 'Un regalo para usted: {{ coupon.discount }} de descuento',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Gracias por confiar en nosotros. Como muestra de agradecimiento, le regalamos un descuento para su próxima compra: {{ coupon.discount }}.',
        '',
        'Código: {{ coupon.code }}',
        'Válido hasta el {{ coupon.expiresOn }}',
        '',
        'Solo tiene que introducir el código al pagar o mostrarlo en la tienda.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SURVEY: {
      subject: '¿Nos ayuda con una pregunta rápida?',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Nos encantaría saber qué tal le va con su {{ product.name }} y con nuestro servicio. Responder le llevará menos de un minuto:',
        '',
        '{{ links.survey }}',
        '',
        'Gracias por ayudarnos a mejorar.',
        '{{ sender.name }}',
      ].join('\n'),
    },
    GREETING: {
      subject: '¡Felicidades de parte de {{ sender.name }}!',
      body: [
        'Hola, {{ owner.name }}:',
        '',
        'Hoy nos acordamos de usted y queremos enviarle nuestros mejores deseos.',
        '',
        'Gracias por confiar en nosotros. Si alguna vez necesita algo para su {{ product.name }}, aquí estamos: {{ links.ownerPage }}',
        '',
        'Un saludo muy cordial,',
        '{{ sender.name }}',
      ].join('\n'),
    },
  },
};
