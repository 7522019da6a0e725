// Writing HTML and inline SVG: escaping and a small element writer that
// escapes every attribute value and text it is given, so that user text
// (customer names, rep ids, segment names) can never open a tag.
//
// Hand-written: no maintained C++ library in Debian writes HTML/SVG
// without pulling in a DOM (libxml2 would escape, but builds a tree for
// what is a few hundred appends).
#ifndef CARTEIRA_REPORT_MARKUP_H_
#define CARTEIRA_REPORT_MARKUP_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace carteira {

// Text safe in HTML/XML content and in a double- or single-quoted
// attribute: & < > " ' become entities; control characters other than
// tab, line feed and carriage return (not allowed in XML) are dropped.
std::string EscapeHtml(std::string_view text);

// An SVG coordinate or length: one decimal place, without a trailing
// ".0" and never "-0" (12.25 -> "12.3", 3.0 -> "3"). Not finite -> "0".
std::string SvgNumber(double value);

// Appends markup to a string.
class MarkupWriter {
 public:
  // Name and value, the value unescaped (the writer escapes it).
  using Attributes = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  void Open(std::string_view tag, Attributes attributes = {});   // <tag a="v">
  void Close(std::string_view tag);                              // </tag>
  void Empty(std::string_view tag, Attributes attributes = {});  // <tag a="v"/>
  // <tag a="v">text</tag>, the text escaped.
  void Element(std::string_view tag, Attributes attributes, std::string_view text);
  void Text(std::string_view text);   // escaped
  void Raw(std::string_view markup);  // as is: the doctype, the style sheet
  void Newline() { out_.push_back('\n'); }

  const std::string& str() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  void Tag(std::string_view tag, Attributes attributes);
  std::string out_;
};

}  // namespace carteira

#endif  // CARTEIRA_REPORT_MARKUP_H_
