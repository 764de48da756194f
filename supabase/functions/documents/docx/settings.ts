/** word/settings.xml: half-inch default tab stops and Word 2013+ layout (no compatibility mode). */
import { WORD_NAMESPACE, XML_DECLARATION } from "./package_index.ts";

export function settingsXml(): string {
  return XML_DECLARATION +
    `<w:settings xmlns:w="${WORD_NAMESPACE}">` +
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>' +
    '<w:characterSpacingControl w:val="doNotCompress"/>' +
    '<w:compat><w:compatSetting w:name="compatibilityMode" ' +
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
    "</w:settings>";
}
