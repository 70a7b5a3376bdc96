/**
 * Removes what identifies a person from free text before it leaves the service: phone numbers, ID
 * card numbers, e-mail and web addresses, account handles, licence plates, long digit runs, and names
 * where the text marks them as names (我叫…, 姓名：…, 王先生, 老李). Name detection is a heuristic, so
 * callers send only the text a model needs — never who sent it.
 */

// The most common surnames; covers the large majority of people in Chongqing.
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤冉';
const HAN = '\\p{Script=Han}';
const HONORIFICS = '先生|女士|小姐|老板娘|老板|师傅|经理|老师|大爷|大妈|阿姨|叔叔|嬢嬢|孃孃|主任|书记|队长|总|哥|姐|老汉|婆婆|爷爷|奶奶';
const NAME_CUES = '我叫|我是|本人|名字叫|名叫|叫做|姓名[:：]?|联系人[:：]?|举报人[:：]?|户主[:：]?';

const RULES: [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[邮箱]'],
  [/(?:https?:\/\/|www\.)\S+/gi, '[链接]'],
  [/(?:微信号?|vx|VX|wx|WX|QQ|qq)\s*[:：]?\s*[A-Za-z0-9_-]{5,20}/g, '[账号]'],
  [/@[A-Za-z0-9_]{4,32}/g, '[账号]'],
  [/(?<!\d)\d{17}[\dXx](?![\dXx])/g, '[证件号]'],
  [/(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)/g, '[电话]'],
  [/(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)/g, '[电话]'],
  [/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s]?[A-Z0-9]{5,6}/g, '[车牌]'],
  [/\d{5,}/g, '[号码]'],
  [new RegExp(`(${NAME_CUES})\\s*[${SURNAMES}][${HAN}]{1,2}`, 'gu'), '$1[姓名]'],
  [new RegExp(`[${SURNAMES}][${HAN}]{0,2}(?=${HONORIFICS})`, 'gu'), '[姓名]'],
  [new RegExp(`(?<![${HAN}])[老小][${SURNAMES}](?![${HAN}])`, 'gu'), '[姓名]'],
  [new RegExp(`(?<![${HAN}])[老小][${SURNAMES}](?=家|说|在|把|又|也|的|他|她|经常|一直|每天|总是|天天)`, 'gu'), '[姓名]'],
];

export function redactPersonalData(text: string): string {
  // Full-width digits and Latin letters (１３８…) are folded so they cannot slip past; other text keeps its punctuation.
  let out = text.replace(/[\uFF01-\uFF5E]/g, (c) => (/[０-９Ａ-Ｚａ-ｚ＠．－＋]/.test(c) ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : c));
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}
