import "./polyfill";
import { createRoot } from "react-dom/client";
import "@solana/wallet-adapter-react-ui/styles.css";
import "./index.css";
import { Root } from "./App";

createRoot(document.getElementById("root")!).render(<Root />);
