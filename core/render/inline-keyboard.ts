/**
 * Inline keyboards as the Bot API's own objects, so core/ can build the buttons that both the bot and the
 * job processors send without importing telegraf. Spread into send options like telegraf's Markup.
 */
export interface InlineButton {
  readonly text: string;
  readonly callback_data: string;
}

export interface InlineKeyboard {
  readonly reply_markup: { readonly inline_keyboard: InlineButton[][] };
}

export const callbackButton = (text: string, data: string): InlineButton => ({ text, callback_data: data });

export const inlineKeyboard = (rows: InlineButton[][]): InlineKeyboard => ({ reply_markup: { inline_keyboard: rows } });
