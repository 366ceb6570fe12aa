#include "model_info_view.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "display_format.h"
#include "filesystem_path.h"
#include "tensor_table_model.h"

namespace {

QString text(std::string_view value)
{
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

// Everything a model file says is shown as plain text: a name or an error message read from an untrusted
// file must never be interpreted as rich text.
QLabel* plainLabel(const QString& value, QWidget* parent = nullptr)
{
    auto* label = new QLabel(value, parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QFont scaledFont(QFont font, double factor, bool bold)
{
    font.setPointSizeF(font.pointSizeF() * factor);
    font.setBold(bold);
    return font;
}

}  // namespace

ModelInfoView::ModelInfoView(QWidget* parent)
    : QWidget(parent)
{
    m_pages = new QStackedWidget(this);
    m_emptyPage = createEmptyPage();
    m_modelPage = createModelPage();
    m_errorPage = createErrorPage();
    m_pages->addWidget(m_emptyPage);
    m_pages->addWidget(m_modelPage);
    m_pages->addWidget(m_errorPage);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    showEmptyState();
}

QWidget* ModelInfoView::createEmptyPage()
{
    auto* page = new QWidget(this);
    auto* icon = new QLabel(page);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/hearth.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);

    auto* message = new QLabel(tr("Open a model file (.gguf) or a Hugging Face folder to see what is inside."),
                               page);
    message->setObjectName(QStringLiteral("emptyStateLabel"));
    message->setAlignment(Qt::AlignCenter);
    message->setWordWrap(true);
    message->setFont(scaledFont(message->font(), 1.2, false));

    auto* openFile = new QPushButton(tr("Open model…"), page);
    auto* openFolder = new QPushButton(tr("Open model folder…"), page);
    connect(openFile, &QPushButton::clicked, this, &ModelInfoView::openFileRequested);
    connect(openFolder, &QPushButton::clicked, this, &ModelInfoView::openFolderRequested);

    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(openFile);
    buttons->addWidget(openFolder);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(icon);
    layout->addSpacing(12);
    layout->addWidget(message);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addStretch();
    return page;
}

QWidget* ModelInfoView::createModelPage()
{
    auto* page = new QWidget(this);

    m_modelTitle = plainLabel(QString(), page);
    m_modelTitle->setObjectName(QStringLiteral("modelTitle"));
    m_modelTitle->setFont(scaledFont(m_modelTitle->font(), 1.4, true));

    // Left: the model's properties, in a scroll area because a narrow window must still show all of them.
    auto* propertiesWidget = new QWidget;
    m_properties = new QFormLayout(propertiesWidget);
    m_properties->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_properties->setLabelAlignment(Qt::AlignLeft);
    auto* propertiesScroll = new QScrollArea;
    propertiesScroll->setWidget(propertiesWidget);
    propertiesScroll->setWidgetResizable(true);
    propertiesScroll->setFrameShape(QFrame::NoFrame);

    // Right: the tensor table, filtered by name or type.
    m_tensors = new TensorTableModel(this);
    m_tensorProxy = new QSortFilterProxyModel(this);
    m_tensorProxy->setSourceModel(m_tensors);
    m_tensorProxy->setSortRole(TensorTableModel::SortRole);
    m_tensorProxy->setFilterRole(TensorTableModel::FilterRole);
    m_tensorProxy->setFilterKeyColumn(TensorTableModel::NameColumn);
    m_tensorProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_tensorFilter = new QLineEdit;
    m_tensorFilter->setObjectName(QStringLiteral("tensorFilter"));
    m_tensorFilter->setPlaceholderText(tr("Filter tensors by name or type"));
    m_tensorFilter->setClearButtonEnabled(true);
    connect(m_tensorFilter, &QLineEdit::textChanged, this, [this](const QString& filter) {
        m_tensorProxy->setFilterFixedString(filter);
        updateTensorCount();
    });
    m_tensorCount = new QLabel;
    m_tensorCount->setObjectName(QStringLiteral("tensorCount"));

    m_tensorView = new QTableView;
    m_tensorView->setObjectName(QStringLiteral("tensorView"));
    m_tensorView->setModel(m_tensorProxy);
    m_tensorView->setAlternatingRowColors(true);
    m_tensorView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tensorView->setWordWrap(false);
    m_tensorView->verticalHeader()->hide();
    m_tensorView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_tensorView->verticalHeader()->setDefaultSectionSize(m_tensorView->fontMetrics().height() + 6);
    QHeaderView* header = m_tensorView->horizontalHeader();
    header->setResizeContentsPrecision(256);  // big models have thousands of tensors; sample, don't measure all
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(TensorTableModel::NameColumn, QHeaderView::Stretch);
    // Unsorted (file order) until the user clicks a header.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_tensorView->setSortingEnabled(true);

    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(m_tensorFilter, 1);
    filterRow->addWidget(m_tensorCount);
    auto* tensorsWidget = new QWidget;
    auto* tensorsLayout = new QVBoxLayout(tensorsWidget);
    tensorsLayout->setContentsMargins(0, 0, 0, 0);
    tensorsLayout->addLayout(filterRow);
    tensorsLayout->addWidget(m_tensorView);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(propertiesScroll);
    splitter->addWidget(tensorsWidget);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({380, 620});

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_modelTitle);
    layout->addWidget(splitter, 1);
    return page;
}

QWidget* ModelInfoView::createErrorPage()
{
    auto* page = new QWidget(this);
    m_errorTitle = plainLabel(QString(), page);
    m_errorTitle->setObjectName(QStringLiteral("errorTitle"));
    m_errorTitle->setFont(scaledFont(m_errorTitle->font(), 1.3, true));
    m_errorTitle->setWordWrap(true);

    m_errorText = plainLabel(QString());
    m_errorText->setObjectName(QStringLiteral("errorText"));
    m_errorText->setWordWrap(true);
    m_errorText->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_errorText->setMargin(8);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_errorText);
    scroll->setWidgetResizable(true);

    auto* openFile = new QPushButton(tr("Open another model…"), page);
    connect(openFile, &QPushButton::clicked, this, &ModelInfoView::openFileRequested);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openFile);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_errorTitle);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    return page;
}

void ModelInfoView::showEmptyState()
{
    m_info.reset();
    m_tensors->setModelInfo(nullptr);
    m_pages->setCurrentWidget(m_emptyPage);
}

void ModelInfoView::showModel(std::shared_ptr<const hearth::ModelInfo> info)
{
    if (!info) {
        showEmptyState();
        return;
    }
    m_info = std::move(info);
    const QString path = fromFilesystemPath(m_info->path);
    m_modelTitle->setText(m_info->name.empty() ? QFileInfo(path).fileName() : text(m_info->name));
    fillProperties(*m_info);
    m_tensors->setModelInfo(m_info);
    m_tensorFilter->clear();
    updateTensorCount();
    m_pages->setCurrentWidget(m_modelPage);
}

void ModelInfoView::showError(const QString& path, const QString& message)
{
    m_info.reset();
    m_tensors->setModelInfo(nullptr);
    m_errorTitle->setText(tr("Could not read “%1”").arg(QFileInfo(path).fileName()));
    m_errorText->setText(message);
    m_pages->setCurrentWidget(m_errorPage);
}

ModelInfoView::Page ModelInfoView::page() const
{
    if (m_pages->currentWidget() == m_modelPage)
        return Page::model;
    if (m_pages->currentWidget() == m_errorPage)
        return Page::error;
    return Page::empty;
}

void ModelInfoView::addProperty(const QString& key, const QString& label, const QString& value)
{
    QLabel* valueLabel = plainLabel(value);
    valueLabel->setObjectName(key + QStringLiteral("Value"));
    valueLabel->setWordWrap(true);
    m_properties->addRow(label, valueLabel);
}

void ModelInfoView::fillProperties(const hearth::ModelInfo& info)
{
    while (m_properties->rowCount() > 0)
        m_properties->removeRow(0);

    const QLocale locale;
    const QString unknown = tr("unknown");
    const auto count = [&](std::int64_t value) { return value > 0 ? DisplayFormat::integer(value) : unknown; };

    addProperty(QStringLiteral("path"), tr("Path:"), fromFilesystemPath(info.path));
    addProperty(QStringLiteral("format"), tr("Format:"),
                info.format == hearth::ModelFormat::gguf ? tr("GGUF (version %1)").arg(info.gguf_version)
                                                          : tr("Hugging Face (safetensors)"));
    const auto nFiles = static_cast<int>(info.files.size());
    addProperty(QStringLiteral("size"), tr("Size on disk:"),
                nFiles > 1 ? tr("%1 in %2 files").arg(DisplayFormat::byteSize(info.file_bytes)).arg(nFiles)
                           : DisplayFormat::byteSize(info.file_bytes));

    QString architecture = info.architecture.empty() ? unknown : text(info.architecture);
    if (!info.architecture_class.empty())
        architecture = tr("%1 (%2)").arg(architecture, text(info.architecture_class));
    addProperty(QStringLiteral("architecture"), tr("Architecture:"), architecture);
    addProperty(QStringLiteral("parameters"), tr("Parameters:"),
                info.n_params > 0 ? DisplayFormat::parameterCount(info.n_params) : unknown);
    addProperty(QStringLiteral("layers"), tr("Layers:"), count(info.n_layers));
    addProperty(QStringLiteral("hiddenSize"), tr("Hidden size:"), count(info.hidden_size));
    if (info.ffn_size > 0)
        addProperty(QStringLiteral("ffnSize"), tr("Feed-forward size:"), count(info.ffn_size));
    addProperty(QStringLiteral("heads"), tr("Attention heads:"),
                info.n_kv_heads > 0 ? tr("%1 query, %2 key/value").arg(count(info.n_heads), count(info.n_kv_heads))
                                    : count(info.n_heads));
    addProperty(QStringLiteral("headDim"), tr("Head size:"), count(info.head_dim));
    addProperty(QStringLiteral("vocabulary"), tr("Vocabulary:"), count(info.vocab_size));
    addProperty(QStringLiteral("contextLength"), tr("Context length:"),
                info.context_length > 0 ? tr("%1 tokens").arg(DisplayFormat::integer(info.context_length)) : unknown);

    if (info.attention.sliding_window > 0) {
        QString window = tr("%1 tokens").arg(DisplayFormat::integer(info.attention.sliding_window));
        const auto& types = info.attention.layer_types;
        if (!types.empty()) {
            const auto sliding = std::count(types.begin(), types.end(), std::string("sliding_attention"));
            window = tr("%1, on %2 of %3 layers").arg(window).arg(sliding).arg(types.size());
        }
        addProperty(QStringLiteral("slidingWindow"), tr("Sliding window:"), window);
    }
    if (info.attention.chunk_size > 0)
        addProperty(QStringLiteral("chunkedAttention"), tr("Chunked attention:"),
                    tr("%1 tokens").arg(DisplayFormat::integer(info.attention.chunk_size)));
    if (info.moe.n_experts > 0) {
        QString moe = tr("%1 experts, %2 used per token")
                          .arg(DisplayFormat::integer(info.moe.n_experts), count(info.moe.n_experts_used));
        if (info.moe.n_shared_experts > 0)
            moe = tr("%1, %2 shared").arg(moe, DisplayFormat::integer(info.moe.n_shared_experts));
        addProperty(QStringLiteral("moe"), tr("Mixture of experts:"), moe);
    }
    QString rope = locale.toString(info.rope.theta, 'g', 10);
    if (info.rope.local_theta)
        rope = tr("%1 (sliding-window layers: %2)").arg(rope, locale.toString(*info.rope.local_theta, 'g', 10));
    if (!info.rope.scaling_type.empty())
        rope = tr("%1, %2 scaling × %3").arg(rope, text(info.rope.scaling_type),
                                             locale.toString(info.rope.scaling_factor, 'g', 6));
    addProperty(QStringLiteral("rope"), tr("RoPE base:"), rope);

    // Stored types, with each one's share of the weights' bytes: "Q4_K 88.1% · Q6_K 10.9% · F32 1.0%".
    std::uint64_t totalBytes = 0;
    for (const hearth::DTypeCount& dtype : info.stored_dtypes)
        totalBytes += dtype.bytes;
    QStringList dtypes;
    for (const hearth::DTypeCount& dtype : info.stored_dtypes) {
        const QString typeName = text(hearth::name(dtype.type));
        if (totalBytes == 0) {
            dtypes << typeName;
            continue;
        }
        const double percent = 100.0 * static_cast<double>(dtype.bytes) / static_cast<double>(totalBytes);
        dtypes << tr("%1 %2%").arg(typeName, locale.toString(percent, 'f', 1));
    }
    addProperty(QStringLiteral("storedTypes"), tr("Stored types:"),
                dtypes.isEmpty() ? unknown : dtypes.join(QStringLiteral(" · ")));
    if (!info.declared_dtype.empty())
        addProperty(QStringLiteral("declaredType"), tr("Declared type:"), text(info.declared_dtype));

    const hearth::QuantizationInfo& quant = info.quantization;
    QString quantization = tr("none");
    if (!quant.method.empty() && quant.method != "none") {
        QStringList parts{text(quant.method)};
        if (!quant.scheme.empty())
            parts << text(quant.scheme);
        if (quant.bits > 0)
            parts << tr("%1-bit").arg(quant.bits);
        if (quant.group_size == -1)
            parts << tr("one group per output channel");
        else if (quant.group_size > 0)
            parts << tr("group size %1").arg(quant.group_size);
        if (quant.desc_act.value_or(false))
            parts << tr("activation order");
        if (quant.sym.has_value())
            parts << (*quant.sym ? tr("symmetric") : tr("asymmetric"));
        if (!quant.modules_not_converted.empty()) {
            QStringList modules;
            for (const std::string& module : quant.modules_not_converted)
                modules << text(module);
            parts << tr("not quantized: %1").arg(modules.join(QStringLiteral(", ")));
        }
        quantization = parts.join(QStringLiteral(" · "));
    }
    addProperty(QStringLiteral("quantization"), tr("Quantization:"), quantization);

    const hearth::TokenizerInfo& tokenizer = info.tokenizer;
    QString tokenizerText = text(tokenizer.kind);
    if (tokenizer.n_tokens > 0)
        tokenizerText = tr("%1, %2 tokens").arg(tokenizerText, DisplayFormat::integer(tokenizer.n_tokens));
    if (!tokenizer.source.empty())
        tokenizerText = tr("%1 (from %2)").arg(tokenizerText, text(tokenizer.source));
    addProperty(QStringLiteral("tokenizer"), tr("Tokenizer:"), tokenizerText);
    addProperty(QStringLiteral("chatTemplate"), tr("Chat template:"),
                tokenizer.has_chat_template ? tr("included") : tr("none"));
}

void ModelInfoView::updateTensorCount()
{
    const int total = m_tensors->rowCount();
    const int shown = m_tensorProxy->rowCount();
    m_tensorCount->setText(shown == total ? tr("Tensors: %1").arg(total) : tr("Tensors: %1 of %2").arg(shown).arg(total));
}
