// The Lucene baseline of bench/relevance.py: PersianAnalyzer and BM25 over the same paragraphs.
//
// Usage: java -cp CLASSES:LUCENE_JARS LuceneBaseline PARAGRAPHS.tsv < queries > ranked ids
// PARAGRAPHS.tsv holds "id<TAB>text" lines; each query line on stdin gives one line on stdout:
// the ids of the best 10 paragraphs, tab-separated (an empty line when nothing matches).
// Lucene 8's PersianAnalyzer: standard tokenizer, Arabic and Persian normalization,
// Persian digits to Latin, its stopword list; it has no stemmer.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

public class LuceneBaseline {
    public static void main(String[] args) throws Exception {
        Analyzer analyzer = new PersianAnalyzer();
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                Document doc = new Document();
                doc.add(new StoredField("id", line.substring(0, tab)));
                doc.add(new TextField("content", line.substring(tab + 1), Field.Store.NO));
                writer.addDocument(doc);
            }
        }
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(directory));
        searcher.setSimilarity(new BM25Similarity());
        QueryParser parser = new QueryParser("content", analyzer);
        parser.setDefaultOperator(QueryParser.Operator.OR);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        for (String line; (line = in.readLine()) != null; ) {
            StringBuilder ids = new StringBuilder();
            try {
                Query query = parser.parse(QueryParser.escape(line));
                for (ScoreDoc hit : searcher.search(query, 10).scoreDocs) {
                    if (ids.length() > 0) ids.append('\t');
                    ids.append(searcher.doc(hit.doc).get("id"));
                }
            } catch (Exception e) {
                // A query the parser refuses (only stopwords, say) finds nothing.
            }
            out.println(ids);
        }
    }
}
