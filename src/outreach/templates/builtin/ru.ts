import type { OutreachLanguage, ReturnWindowStart } from './language.js';

const STARTS: Record<ReturnWindowStart, string> = {
  PURCHASE_DATE: 'покупки',
  DELIVERY_DATE: 'доставки',
  REGISTRATION_DATE: 'регистрации',
};

const PLURAL = new Intl.PluralRules('ru');
/** "в течение N …" takes the genitive: 1, 21 дня; 2, 5, 11 дней. */
const daysGenitive = (days: number) => (PLURAL.select(days) === 'one' ? 'дня' : 'дней');

const SIGN_OFF = ['С уважением,', '{{ sender.name }}'];

/**
 * Russian, in the polite Вы (capitalised, as in a letter to one person). Names that cannot be declined
 * safely stand in the nominative: the product in «quotes» after a declined noun (товар «…»), the sender
 * and the owner where the sentence needs no case. A number keeps its noun, and a dash its word before, on
 * the same line (no-break space), as Russian typesetting does.
 */
export const RU: OutreachLanguage = {
  unsubscribeLine: 'Если Вы больше не хотите получать такие письма, отпишитесь по ссылке: {{ links.unsubscribe }}',

  returnPolicySummary: ({ windowDays, startsFrom, restockingFee }) =>
    `Вернуть товар можно в течение ${windowDays}\u00a0${daysGenitive(windowDays)} с даты ${STARTS[startsFrom]}. ` +
    (restockingFee === null
      ? 'Плата за возврат не взимается.'
      : `При возврате удерживается ${restockingFee} от стоимости товара.`),

  withoutResources: {
    PRODUCT_TRAINING: {
      subject: 'Ваш товар «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Надеемся, что товар «{{ product.name }}» Вас радует. Если мы опубликуем к нему инструкции или руководства, они появятся на странице Вашего товара. Там же указаны условия гарантии и наши контакты: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Если Вам понадобится помощь с товаром «{{ product.name }}» (серийный номер {{ unit.serialNumber }}), начните со страницы Вашего товара. На ней указаны условия гарантии и наши контакты: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
  },

  templates: {
    WARRANTY_INFO: {
      subject: 'Гарантия на Ваш товар «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Спасибо, что выбрали нас. Вот что важно знать о гарантии на Ваш товар «{{ product.name }}»:',
        '',
        'Серийный номер: {{ unit.serialNumber }}',
        'Дата покупки: {{ unit.purchaseDate }}',
        'Окончание гарантии: {{ warranty.endsAt }}',
        '',
        'На странице Вашего товара указано, что именно покрывает гарантия и как связаться с нами, если что-то пойдёт не так: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    PRODUCT_TRAINING: {
      subject: 'Полезные материалы о товаре «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Мы собрали для Вас инструкции и руководства, которые помогут использовать все возможности товара «{{ product.name }}»:',
        '',
        '{{ resources }}',
        '',
        'Они всегда доступны и на странице Вашего товара: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REPAIR_OR_UPGRADE_OFFER: {
      subject: 'Ремонт или обновление: предложение для Вас',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Если Вашему товару «{{ product.name }}» понадобится ремонт, мы с радостью поможем. Свяжитесь с нами через страницу товара: {{ links.ownerPage }}',
        'Гарантийное обслуживание действует до {{ warranty.coveredUntil }} включительно.',
        '',
        'А если Вы хотите перейти на более новую модель, по программе «{{ upgrade.programName }}» можно сдать нынешнюю модель в зачёт покупки новой.',
        'За неё Вы получите до {{ upgrade.tradeInValue }}.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    REVIEW_REQUEST: {
      subject: 'Поделитесь впечатлениями о товаре «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Надеемся, что товар «{{ product.name }}» Вас радует. Не могли бы Вы уделить минуту и рассказать о своих впечатлениях? Ваш отзыв поможет другим покупателям сделать выбор, а нам\u00a0— стать лучше.',
        '',
        '{{ links.review }}',
        '',
        'Большое спасибо!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    RETURN_POLICY: {
      subject: 'Условия возврата товара «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'На случай, если товар «{{ product.name }}» Вам не подойдёт, напоминаем условия возврата для покупки от {{ unit.purchaseDate }}:',
        '',
        '{{ returnPolicy.summary }}',
        '',
        'На странице товара указано, сколько дней ещё остаётся на возврат: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SUPPORT_RESOURCES: {
      subject: 'Помощь и поддержка по товару «{{ product.name }}»',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Если Вам понадобится помощь с товаром «{{ product.name }}» (серийный номер {{ unit.serialNumber }}), начните с этих материалов:',
        '',
        '{{ resources }}',
        '',
        'На странице товара есть все эти материалы, а также условия гарантии и наши контакты: {{ links.ownerPage }}',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    COUPON: {
      subject: 'Подарок для Вас: скидка {{ coupon.discount }}',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Спасибо, что выбираете нас. В знак благодарности дарим Вам скидку {{ coupon.discount }} на следующую покупку.',
        '',
        'Промокод: {{ coupon.code }}',
        'Действует до {{ coupon.expiresOn }} включительно',
        '',
        'Просто введите промокод при оформлении заказа или покажите его в магазине.',
        '',
        ...SIGN_OFF,
      ].join('\n'),
    },
    SURVEY: {
      subject: 'Нам важно Ваше мнение',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Расскажите, пожалуйста, довольны ли Вы товаром «{{ product.name }}» и нашим обслуживанием. Ответ займёт меньше минуты:',
        '',
        '{{ links.survey }}',
        '',
        'Спасибо, что помогаете нам стать лучше!',
        '{{ sender.name }}',
      ].join('\n'),
    },
    GREETING: {
      subject: 'Поздравляем Вас!',
      body: [
        'Здравствуйте, {{ owner.name }}!',
        '',
        'Сегодня особенный день, и мы от всей души желаем Вам всего самого доброго.',
        '',
        'Спасибо, что Вы с нами. Если Вам понадобится помощь с товаром «{{ product.name }}», мы всегда рядом: {{ links.ownerPage }}',
        '',
        'С наилучшими пожеланиями,',
        '{{ sender.name }}',
      ].join('\n'),
    },
  },
};
