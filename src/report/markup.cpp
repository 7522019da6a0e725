#include "carteira/report/markup.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace carteira {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        if (c == 0x7f) break;
        out.push_back(c);
    }
  }
  return out;
}

std::string SvgNumber(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = absl::StrFormat("%.1f", value);
  if (text.size() >= 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  if (text == "-0") text = "0";
  return text;
}

void MarkupWriter::Tag(std::string_view tag, Attributes attributes) {
  out_.push_back('<');
  out_.append(tag);
  for (const auto& [name, value] : attributes) {
    out_.push_back(' ');
    out_.append(name);
    out_.append("=\"");
    out_.append(EscapeHtml(value));
    out_.push_back('"');
  }
}

void MarkupWriter::Open(std::string_view tag, Attributes attributes) {
  Tag(tag, attributes);
  out_.push_back('>');
}

void MarkupWriter::Close(std::string_view tag) {
  out_.append("</");
  out_.append(tag);
  out_.push_back('>');
}

void MarkupWriter::Empty(std::string_view tag, Attributes attributes) {
  Tag(tag, attributes);
  out_.append("/>");
}

void MarkupWriter::Element(std::string_view tag, Attributes attributes, std::string_view text) {
  Open(tag, attributes);
  Text(text);
  Close(tag);
}

void MarkupWriter::Text(std::string_view text) { out_.append(EscapeHtml(text)); }

void MarkupWriter::Raw(std::string_view markup) { out_.append(markup); }

}  // namespace carteira
