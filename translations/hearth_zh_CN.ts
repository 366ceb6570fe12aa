<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Hearth</source>
        <translation>关于 Hearth</translation>
    </message>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Chat with large language models on your own computer.</source>
        <translation>在你自己的电脑上与大语言模型聊天。</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Detecting hardware…</source>
        <translation>正在检测硬件…</translation>
    </message>
    <message>
        <source>Copy to Clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>CPU: %1</source>
        <translation>CPU：%1</translation>
    </message>
    <message>
        <source>unknown CPU</source>
        <translation>未知 CPU</translation>
    </message>
    <message>
        <source>CPU threads: %1</source>
        <translation>CPU 线程数：%1</translation>
    </message>
    <message>
        <source>CPU features: %1</source>
        <translation>CPU 特性：%1</translation>
    </message>
    <message>
        <source>none that Hearth uses</source>
        <translation>没有 Hearth 可用的特性</translation>
    </message>
    <message>
        <source>%1 (%2 available)</source>
        <translation>%1（可用 %2）</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>内存：%1</translation>
    </message>
    <message>
        <source>no usable NVIDIA GPU</source>
        <translation>没有可用的 NVIDIA GPU</translation>
    </message>
    <message>
        <source>GPU: none (%1)</source>
        <translation>GPU：无（%1）</translation>
    </message>
    <message>
        <source>%1 (%2 free)</source>
        <translation>%1（空闲 %2）</translation>
    </message>
    <message>
        <source>compute capability %1.%2</source>
        <translation>计算能力 %1.%2</translation>
    </message>
    <message>
        <source>FP8 tensor cores</source>
        <translation>FP8 张量核心</translation>
    </message>
    <message>
        <source>GPU %1: %2</source>
        <translation>GPU %1：%2</translation>
    </message>
    <message>
        <source>Driver: %1</source>
        <translation>驱动：%1</translation>
    </message>
    <message>
        <source>Hearth %1</source>
        <translation>Hearth %1</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Load a model…</source>
        <translation>加载模型…</translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter for a new line)</source>
        <translation>消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Write the last answer again</source>
        <translation>重新写最后一条回答</translation>
    </message>
    <message>
        <source>No model is loaded. Load one to start chatting.</source>
        <translation>尚未加载模型。加载一个模型即可开始聊天。</translation>
    </message>
    <message>
        <source>The model is loading…</source>
        <translation>正在加载模型…</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Send a message to start the conversation.</source>
        <translation>发送一条消息开始对话。</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Hearth: chat with large language models on your own computer.</source>
        <translation>Hearth：在你自己的电脑上与大语言模型聊天。</translation>
    </message>
    <message>
        <source>Log level: trace, debug, info, warn, error, critical or off. Default: the HEARTH_LOG environment variable, else info.</source>
        <translation>日志级别：trace、debug、info、warn、error、critical 或 off。默认取环境变量 HEARTH_LOG，未设置时为 info。</translation>
    </message>
    <message>
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>MODEL</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>A model to open: a .gguf file or a Hugging Face folder.</source>
        <translation>要打开的模型：.gguf 文件或 Hugging Face 文件夹。</translation>
    </message>
    <message>
        <source>[MODEL]</source>
        <translation>[模型]</translation>
    </message>
    <message>
        <source>Only one model can be opened at a time; got %1 arguments: %2</source>
        <translation>一次只能打开一个模型；收到了 %1 个参数：%2</translation>
    </message>
    <message>
        <source>Try &apos;hearth --help&apos; for more information.</source>
        <translation>运行 &apos;hearth --help&apos; 了解更多信息。</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <source>Search all messages</source>
        <translation>搜索全部消息</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete Conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete &quot;%1&quot; and all its messages? This cannot be undone.</source>
        <translation>删除“%1”及其全部消息？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationStore</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>DisplayFormat</name>
    <message>
        <source>%1 K</source>
        <comment>thousand parameters</comment>
        <translation>%1 千</translation>
    </message>
    <message>
        <source>%1 M</source>
        <comment>million parameters</comment>
        <translation>%1 百万</translation>
    </message>
    <message>
        <source>%1 B</source>
        <comment>billion parameters</comment>
        <translation>%1 十亿</translation>
    </message>
    <message>
        <source>%1 T</source>
        <comment>trillion parameters</comment>
        <translation>%1 万亿</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a .gguf file or a file of a Hugging Face model</source>
        <translation>打开 .gguf 文件或 Hugging Face 模型中的文件</translation>
    </message>
    <message>
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About Hearth</source>
        <translation>关于 Hearth(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 参数</translation>
    </message>
    <message>
        <source>Could not read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>Inspecting %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Models (*.gguf config.json *.safetensors *.safetensors.index.json)</source>
        <translation>模型 (*.gguf config.json *.safetensors *.safetensors.index.json)</translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF 文件 (*.gguf)</translation>
    </message>
    <message>
        <source>Hugging Face files (config.json *.safetensors *.safetensors.index.json)</source>
        <translation>Hugging Face 文件 (config.json *.safetensors *.safetensors.index.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Model details</source>
        <translation>模型详情</translation>
    </message>
    <message>
        <source>&amp;Load model for chat…</source>
        <translation>加载聊天模型(&amp;L)…</translation>
    </message>
    <message>
        <source>Choose a model and load it to chat with</source>
        <translation>选择一个模型并加载，用于聊天</translation>
    </message>
    <message>
        <source>Load the &amp;opened model</source>
        <translation>加载已打开的模型(&amp;O)</translation>
    </message>
    <message>
        <source>Load the model shown under Model details to chat with</source>
        <translation>加载“模型详情”中显示的模型用于聊天</translation>
    </message>
    <message>
        <source>&amp;Unload model</source>
        <translation>卸载模型(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Export conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the conversation on screen as Markdown or JSON</source>
        <translation>将当前对话保存为 Markdown 或 JSON</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop loading the model</source>
        <translation>停止加载模型</translation>
    </message>
    <message>
        <source>Conversations Not Saved</source>
        <translation>对话不会被保存</translation>
    </message>
    <message>
        <source>Conversations cannot be saved in this session:
%1</source>
        <translation>本次会话中的对话无法保存：
%1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Load Model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Chatting with %1</source>
        <translation>正在与 %1 聊天</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 · KV cache %2 · context %3</source>
        <translation>%1 · KV 缓存 %2 · 上下文 %3</translation>
    </message>
    <message>
        <source>Loading %1 was cancelled</source>
        <translation>已取消加载 %1</translation>
    </message>
    <message>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
    <message>
        <source>KV cache %1% used</source>
        <translation>KV 缓存已用 %1%</translation>
    </message>
    <message>
        <source>%1 of %2 blocks of %3 tokens; %4 tokens/s</source>
        <translation>已用 %1/%2 个块（每块 %3 个词元）；%4 词元/秒</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export Conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>以 Markdown 复制此消息</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Could not answer: %1</source>
        <translation>无法回答：%1</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>tokens: %1 generated, %2 in the prompt</source>
        <translation>词元：生成 %1，提示 %2</translation>
    </message>
    <message>
        <source>tokens: %1 generated</source>
        <translation>词元：生成 %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>正在输出…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>interrupted (Hearth closed while it was being written)</source>
        <translation>已中断（输出过程中 Hearth 被关闭）</translation>
    </message>
</context>
<context>
    <name>ModelInfoView</name>
    <message>
        <source>Open a model file (.gguf) or a Hugging Face folder to see what is inside.</source>
        <translation>打开模型文件（.gguf）或 Hugging Face 文件夹，查看其中的内容。</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>打开模型文件夹…</translation>
    </message>
    <message>
        <source>Filter tensors by name or type</source>
        <translation>按名称或类型筛选张量</translation>
    </message>
    <message>
        <source>Open another model…</source>
        <translation>打开其他模型…</translation>
    </message>
    <message>
        <source>Could not read “%1”</source>
        <translation>无法读取“%1”</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>GGUF (version %1)</source>
        <translation>GGUF（版本 %1）</translation>
    </message>
    <message>
        <source>Hugging Face (safetensors)</source>
        <translation>Hugging Face（safetensors）</translation>
    </message>
    <message>
        <source>Size on disk:</source>
        <translation>磁盘占用：</translation>
    </message>
    <message>
        <source>%1 in %2 files</source>
        <translation>%1，共 %2 个文件</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数量：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏层维度：</translation>
    </message>
    <message>
        <source>Feed-forward size:</source>
        <translation>前馈层维度：</translation>
    </message>
    <message>
        <source>Attention heads:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>%1 query, %2 key/value</source>
        <translation>%1 个查询头，%2 个键/值头</translation>
    </message>
    <message>
        <source>Head size:</source>
        <translation>头维度：</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表大小：</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>上下文长度：</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1, on %2 of %3 layers</source>
        <translation>%1，用于 %3 层中的 %2 层</translation>
    </message>
    <message>
        <source>Sliding window:</source>
        <translation>滑动窗口：</translation>
    </message>
    <message>
        <source>Chunked attention:</source>
        <translation>分块注意力：</translation>
    </message>
    <message>
        <source>%1 experts, %2 used per token</source>
        <translation>%1 个专家，每个词元使用 %2 个</translation>
    </message>
    <message>
        <source>%1, %2 shared</source>
        <translation>%1，另有 %2 个共享专家</translation>
    </message>
    <message>
        <source>Mixture of experts:</source>
        <translation>混合专家：</translation>
    </message>
    <message>
        <source>%1, %2 scaling × %3</source>
        <translation>%1，%2 缩放 × %3</translation>
    </message>
    <message>
        <source>RoPE base:</source>
        <translation>RoPE 基数：</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2%</translation>
    </message>
    <message>
        <source>Stored types:</source>
        <translation>存储类型：</translation>
    </message>
    <message>
        <source>Declared type:</source>
        <translation>声明类型：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1-bit</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <source>one group per output channel</source>
        <translation>每个输出通道一组</translation>
    </message>
    <message>
        <source>group size %1</source>
        <translation>分组大小 %1</translation>
    </message>
    <message>
        <source>activation order</source>
        <translation>激活顺序</translation>
    </message>
    <message>
        <source>symmetric</source>
        <translation>对称</translation>
    </message>
    <message>
        <source>asymmetric</source>
        <translation>非对称</translation>
    </message>
    <message>
        <source>not quantized: %1</source>
        <translation>未量化：%1</translation>
    </message>
    <message>
        <source>Quantization:</source>
        <translation>量化：</translation>
    </message>
    <message>
        <source>%1, %2 tokens</source>
        <translation>%1，%2 个词元</translation>
    </message>
    <message>
        <source>%1 (from %2)</source>
        <translation>%1（来自 %2）</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>分词器：</translation>
    </message>
    <message>
        <source>Chat template:</source>
        <translation>聊天模板：</translation>
    </message>
    <message>
        <source>included</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>Tensors: %1</source>
        <translation>张量：%1</translation>
    </message>
    <message>
        <source>Tensors: %1 of %2</source>
        <translation>张量：%1 / %2</translation>
    </message>
    <message>
        <source>%1 (sliding-window layers: %2)</source>
        <translation>%1（滑动窗口层：%2）</translation>
    </message>
</context>
<context>
    <name>TensorTableModel</name>
    <message>
        <source>%1 elements</source>
        <translation>%1 个元素</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Byte offset in %1</source>
        <translation>在 %1 中的字节偏移</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
</context>
</TS>
